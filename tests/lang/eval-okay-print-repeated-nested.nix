let
  inner = { v = 1; };
  outer = { i = inner; j = inner; };
in
[ outer outer inner ]
