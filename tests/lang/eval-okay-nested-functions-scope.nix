let
  a = 1;
  f = b: c: d: [ a b c d ];
in
f 2 3 4
