# readFileType (modern CppNix; not in Nix 2.8): the type of the directory
# entry itself.
let l = ./eval-files-fixture/links; in
map builtins.readFileType [ (l + "/dangling") (l + "/dirlink") (l + "/filelink") l ./eval-files-fixture/a.txt /dev/null ]
