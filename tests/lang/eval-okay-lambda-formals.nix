let
  f = { a, b }: a - b;
in
[ (f { a = 5; b = 3; }) (f { b = 3; a = 5; }) ]
