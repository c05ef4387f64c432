let
  src = { a = 1; b = 2; c = 3; };
  x = "x";
in
{ inherit (src) a b; inherit x; d = 4; }
