# A structured attribute is forced in the order its JSON is printed
# (attributes by name, elements left to right): the first failure is in
# `a`'s list, then in its set's `q1` before `q2` (Nix 2.8: "error: a.q1").
(derivation {
  name = "structured-order";
  system = "x86_64-linux";
  builder = "/bin/sh";
  __structuredAttrs = true;
  b = throw "b";
  a = [ 1 [ 2 { q2 = throw "a.q2"; q1 = throw "a.q1"; } ] (throw "a's last") ];
}).drvPath
