let
  id = x: x;
  add = a: b: a + b;
  twice = f: x: f (f x);
in
[ (id 1) (add 2 3) (twice (x: x * 2) 5) ((add 10) 1) ]
