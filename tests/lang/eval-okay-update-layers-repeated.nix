# A layered set printed twice is the same set: «repeated», as CppNix
# marks a set already printed (and `s // { }` is s itself).
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 16);
  s = big // { x = 1; };
  t = s // { y = 2; };
in [ s s (s // { }) t big { inner = t; again = t; } ]
