let
  a = 1;
  inherit b;
in a
