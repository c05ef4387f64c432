# import of a directory is its default.nix; a symlinked file is evaluated
# relative to its target's directory; scopedImport binds its set's names
# around the file (shadowing builtins) and is not cached by path.
let fx = ./eval-files-fixture/imp; in
[
  (import fx).n
  (import ./eval-files-fixture/imp/default.nix).n
  (import ./eval-files-fixture/imp/herelink.nix)
  (scopedImport { a = 41; } ./eval-files-fixture/imp/link.nix).x
  (scopedImport { a = 1; } fx).n
  (scopedImport { a = 2; } ./eval-files-fixture/imp/scoped.nix).x
  (scopedImport { a = 3; } ./eval-files-fixture/imp/scoped.nix).x
  (scopedImport { toString = x: "shadowed"; } ./eval-files-fixture/imp/tostring.nix)
  (import ./eval-files-fixture/imp/tostring.nix)
]
