# Integers of every length to their decimal form (toString and
# interpolation), both signs, at the powers of ten and one below and
# above them, and the extremes.
let
  pow = n: if n == 0 then 1 else 10 * pow (n - 1);
  edges = builtins.concatLists (builtins.genList (n: [ (pow n) (pow n - 1) (pow n + 1) ]) 19);
  ints = edges ++ [ 9223372036854775807 42 7 ];
  min = -9223372036854775807 - 1;
in
map (i: [ (toString i) "${toString (0 - i)}" ]) ints ++ [ (toString min) "${toString min}" ]
