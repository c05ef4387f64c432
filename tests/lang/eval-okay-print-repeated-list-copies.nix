# a list is printed as «repeated» only when the very same value is met
# again (modern Nix keys lists by the address of their Value); a copy made
# by a selection, sort, ++ ... is printed in full
let
  a = [ 1 2 ];
  s = { b = a; };
  l = [ 5 ];
in
[ a s.b l (builtins.sort builtins.lessThan l) (l ++ [ ]) ([ ] ++ l) (builtins.concatLists [ l ]) ]
