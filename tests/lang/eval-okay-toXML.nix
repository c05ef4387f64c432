# builtins.toXML: no positions (unlike --xml), lambdas with their patterns,
# primops unevaluated, a derivation (type = "derivation") shown once per
# drvPath and <repeated /> after (or at once without a drvPath), nested
# values forced.
let
  d = { type = "derivation"; drvPath = "/d.drv"; outPath = "/o"; x = 1; name = "a"; };
in builtins.toXML [
  d d { type = "derivation"; x = 1; }
  1.5 (-2) (x: x) ({ a, b ? 1, ... }@z: a) ({ c }: c) builtins.map (builtins.map (x: x))
  "s\n<&>\"'\t" ./eval-files-fixture null true false
  { b = 2; a = [ (1 + 1) { c = "x"; } ]; "q r" = { }; }
  [ [ ] ]
]
