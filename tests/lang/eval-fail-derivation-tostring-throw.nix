# A __toString in a derivation attribute is called when phase one reaches
# it, and its error passes through the attribute's and the derivation's
# trace entries (Nix 2.8: "error: no string here", the same message).
let tos = v: { __toString = self: v; }; in
builtins.derivationStrict {
  name = "tostring-throw";
  builder = "/bin/sh";
  system = "x86_64-linux";
  env = [ "a" (tos (throw "no string here")) ];
}
