let
  a = 10;
  b = a - 10;
in
[ (a / 2) (a / b) ]
