# readFileType does not follow the last symlink; pathExists neither (a
# dangling symlink exists), except that a string ending in "/" or "/."
# must name a directory; readDir lists symlinks as such; toPath gives a
# canonical string.  readFileType is newer than Nix 2.8: its results were
# checked against modern CppNix's rules (lstat of the path).
let l = ./eval-files-fixture/links; in
[
  (builtins.pathExists (l + "/dangling"))
  (builtins.pathExists "${toString l}/dangling")
  (builtins.pathExists "${toString l}/filelink/")
  (builtins.pathExists "${toString l}/dirlink/")
  (builtins.pathExists "${toString l}/dirlink/.")
  (builtins.pathExists "${toString l}/nope")
  (builtins.readDir l)
  (builtins.readDir (l + "/dirlink"))
  (builtins.toPath "/a/../b//c/")
  (builtins.toPath (l + "/x"))
  (builtins.typeOf (builtins.toPath "/a"))
  (builtins.typeOf builtins.currentTime)
  (builtins.currentTime > 1600000000)
]
