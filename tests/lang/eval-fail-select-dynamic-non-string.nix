let
  s = { a = 1; };
  k = 1;
in
s.${k}
