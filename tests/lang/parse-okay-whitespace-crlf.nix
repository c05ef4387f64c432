let
  foo3 = 1;
in
  foo3
