let
  x = 1;
  f = let x = 2; in x;
  g = x: x;
in
[ x f (g 3) (let x = 4; in let x = 5; in x) ]
