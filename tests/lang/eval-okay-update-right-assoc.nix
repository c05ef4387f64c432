let
  a = { x = "a"; y = "a"; z = "a"; };
  b = { y = "b"; z = "b"; };
  c = { z = "c"; };
in
[ (a // b // c) ((a // b) // c) (a // (b // c)) (c // b // a) ]
