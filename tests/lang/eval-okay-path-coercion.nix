# Builtins that take a path accept a set through its outPath or __toString
# (CppNix's coerceToPath, nothing copied to the store).  pathExists
# canonicalises first (modern CppNix: "x/.." is lexically nothing, a set's
# trailing slash does not demand a directory; Nix 2.8 asked the OS).
let
  fx = toString ./eval-files-fixture;
  o = p: { outPath = p; };
  t = p: { __toString = self: p; };
in [
  (import (o ./eval-files-fixture/imp)).n
  (import (t "${fx}/imp/default.nix")).n
  (scopedImport { a = 9; } (o "${fx}/imp/scoped.nix")).x
  (builtins.readFile (o ./eval-files-fixture/a.txt))
  (builtins.readDir (t "${fx}/sub"))
  (builtins.readFileType (o fx))
  (builtins.pathExists (o "${fx}/a.txt/"))
  (builtins.pathExists "${fx}/a.txt/")
  (builtins.pathExists "${fx}/nope/..")
  (builtins.pathExists (t "${fx}/nope"))
  (builtins.toPath (o "/a/./b/../c"))
]
