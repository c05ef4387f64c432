let
  f = a: b: c: a * 100 + b * 10 + c;
  g = f 1;
  h = g 2;
in
[ (h 3) (g 4 5) (f 6 7 8) ]
