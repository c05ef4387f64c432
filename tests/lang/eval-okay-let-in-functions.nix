let
  f = x: let y = x * 2; g = z: y + z; in g 1;
in
[ (f 1) (f 10) ]
