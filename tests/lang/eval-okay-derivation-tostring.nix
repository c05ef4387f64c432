# __toString in derivation attributes (CppNix's coerceToString with
# copyMore and copy to the store): in an attribute, in `args`, inside
# lists, chained, with the context of its result (a derivation's output,
# a path copied to the store) added to the inputs, and taking precedence
# over outPath.  `args` ends with elements that a force leaves settled (a
# derivation, a string): the state of their coercion must not leak into
# the next attribute's.
let
  dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
  tos = v: { __toString = self: v; };
  d = derivation {
    name = "tostring";
    system = "x86_64-linux";
    builder = tos "/bin/sh";
    plain = tos "hello";
    withDep = tos "${dep}/bin";
    list = [ 1 (tos "two") [ (tos dep) [ ] ] null true (tos [ 3 (tos 4) ]) ];
    chained = tos (tos (tos 5));
    path = tos ./eval-okay-derivation-tostring.nix;
    both = { __toString = self: self.v; v = "from __toString"; outPath = "ignored"; };
    args = [ "-c" (tos "echo ${dep.out}") [ (tos 1) 2 ] (dep) ("a" + "b") ];
  };
in [ d.drvPath d.outPath ]
