# baseNameOf / dirOf on strings and paths, pathExists, readFile, readDir
# (on the fixture directory next to this file).
[
  (builtins.baseNameOf "/a/b/")
  (builtins.baseNameOf ./eval-files-fixture/a.txt)
  (builtins.dirOf "/a/b")
  (builtins.dirOf "a")
  (builtins.dirOf "/")
  (builtins.dirOf ./eval-files-fixture/a.txt)
  (builtins.pathExists ./eval-files-fixture/a.txt)
  (builtins.pathExists ./eval-files-fixture/missing)
  (builtins.readFile ./eval-files-fixture/a.txt)
  (builtins.readDir ./eval-files-fixture)
]
