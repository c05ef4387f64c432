let
  outer = { a = 1; b = 2; c = 3; };
  inner = { b = 20; };
in
with outer; with inner; [ a b c ]
