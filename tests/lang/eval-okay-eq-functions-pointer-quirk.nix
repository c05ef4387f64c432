# Nix compares values by address first: a list or set holding the very same
# function value is equal to itself, though the function alone is not.
let
  f = x: x;
  s = { g = x: x; };
in
[ ([ f ] == [ f ]) (s == s) (f == f) (s.g == s.g) ]
