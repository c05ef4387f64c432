# Each name is forced once, in order, and the check resumes after the last
# name forced: every name below is a thunk (some of them chains), and all
# of them must still be removed.
let
  s = { a = 1; b = 2; c = 3; d = 4; "10" = 5; };
  names = builtins.genList (i: if i == 0 then "a" else if i == 1 then toString (i * 10) else "x${toString i}") 6
    ++ [ (let y = "c"; in y) (builtins.head [ "d" ]) ];
in
builtins.attrNames (builtins.removeAttrs s names)
