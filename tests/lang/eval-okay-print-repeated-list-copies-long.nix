# Nix 2.8 keys lists of 3 or more elements by their element array, so it
# prints the copy `s.b` as «repeated»; modern Nix keys every list by the
# address of its Value and prints the copy in full
let
  a = [ 1 2 3 ];
  s = { b = a; };
in
[ a s.b a ]
