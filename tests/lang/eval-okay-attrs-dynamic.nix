let
  n = "dyn";
in
{ ${n} = 1; "${n}2" = 2; ${"with space"} = 3; a.${n}.b = 4; "static" = 5; }
