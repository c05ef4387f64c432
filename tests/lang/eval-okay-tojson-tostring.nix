# builtins.toJSON prints a set with __toString as the string it returns
# (CppNix's printValueAsJSON: tryAttrsToString without copyMore or copying
# paths), before looking at its outPath or attributes, and keeps the
# string's context: nested, in lists, chained, inside an outPath, shared
# between places and containing itself (its attributes are not printed),
# a path result as its text, a derivation and a copied path in the
# result's context.
let
  dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
  tos = v: { __toString = self: v; };
  shared = tos "shared";
  loop = { __toString = self: "loop"; self = loop; };
  value = {
    plain = [ 1 (tos "text") { a = tos "nested"; } ];
    chained = tos (tos "chained");
    both = { __toString = self: "from __toString"; outPath = "ignored"; };
    viaOutPath = { outPath = tos "via outPath"; };
    toOutPath = tos { outPath = "an outPath"; };
    usesSelf = { n = 3; __toString = self: "n is ${toString self.n}"; };
    pathText = tos ./eval-okay-tojson-tostring.nix;
    withDep = tos "${dep}/bin";
    copied = tos "${./eval-okay-tojson-tostring.nix}";
    drvPath = tos dep.drvPath;
    inherit loop;
    again = [ shared shared loop ];
    empty = tos "";
    escaped = tos "a \"quoted\"\nline";
  };
  j = builtins.toJSON value;
in [
  (builtins.replaceStrings [ (toString ./.) ] [ "DIR" ] j)
  (builtins.attrNames (builtins.getContext j))
  (builtins.toJSON (tos "top"))
  (builtins.toJSON [ (tos "in a list") ])
  (builtins.getContext (builtins.toJSON (tos "plain")))
]
