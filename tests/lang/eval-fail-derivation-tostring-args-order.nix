# `args`: its elements are coerced left to right, a __toString's result
# before the next element is forced (Nix 2.8: "error: second", then
# "builder" once `args` is fixed: builder comes after args).
let tos = v: { __toString = self: v; }; in
(derivation {
  name = "tostring-args-order";
  builder = throw "builder";
  system = "x86_64-linux";
  args = [ (tos "first") (tos (tos (throw "second"))) (throw "third") ];
}).drvPath
