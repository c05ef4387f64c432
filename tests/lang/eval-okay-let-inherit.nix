let
  x = 1;
  s = { a = 2; b = 3; };
in
let
  inherit x;
  inherit (s) a b;
in
[ x a b ]
