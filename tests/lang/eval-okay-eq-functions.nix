# functions are never equal to anything, themselves included
let
  f = x: x;
in
[
  (f == f)
  ((x: x) == (x: x))
  ([ (x: x) ] == [ (x: x) ])
  ({ g = x: x; } == { g = x: x; })
  (builtins.add == builtins.add)
  (f != f)
  (f == 1)
]
