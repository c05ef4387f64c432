# With __structuredAttrs, a set with __toString is printed as the string
# it returns (CppNix's printValueAsJSON: tryAttrsToString without copyMore
# or copying paths), before its outPath, its context added to the
# inputs: chained, inside an outPath, in a list shared by two places, a
# path interpolated (copied) by the function.
let
  dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
  tos = v: { __toString = self: v; };
  shared = [ (tos "s1") { x = tos "s2"; } ];
  d = derivation {
    name = "structured-tostring";
    system = "x86_64-linux";
    builder = "/bin/sh";
    __structuredAttrs = true;
    plain = [ 1 (tos "text") ];
    withDep = { a = tos "${dep}/bin"; ignored = tos "x"; };
    chained = tos (tos "chained");
    both = { __toString = self: "from __toString"; outPath = "ignored"; };
    viaOutPath = { outPath = tos "via outPath"; };
    path = tos "${./eval-okay-derivation-structured-tostring.nix}";
    inherit shared;
    again = shared;
  };
in [ d.drvPath d.outPath ]
