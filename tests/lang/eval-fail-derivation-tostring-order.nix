# Attributes are converted in name order ("a" < "args" < "b"), each
# list left to right, a __toString called when the walk reaches it: the
# first failure is the __toString call in `a`, after `a`'s first
# elements were coerced (Nix 2.8 agrees: "error: a's __toString").
let tos = v: { __toString = self: v; }; in
(derivation {
  name = "tostring-order";
  builder = "/bin/sh";
  system = "x86_64-linux";
  b = throw "b";
  args = [ (throw "args") ];
  a = [ (tos "fine") [ 1 (tos (throw "a's __toString")) ] (throw "a's last") ];
}).drvPath
