# A replacement is forced only when its pattern matches (modern CppNix
# forces the `to` strings on demand and caches them; Nix 2.8 forced every
# one first, so it fails on all three).
[
  (builtins.replaceStrings [ "a" ] [ (throw "not used") ] "bcd")
  (builtins.replaceStrings [ "a" "b" ] [ (throw "not used") "X" ] "bcd")
  (builtins.replaceStrings [ "a" ] [ 1 ] "bcd")
  (builtins.replaceStrings [ "q" "" ] [ (throw "not used") "-" ] "bc")
]
