# a variable found through `with` is a new thunk at each use, so the two
# sets (lists) hold distinct function values, which are never equal.  (Nix 2.8
# reuses the attribute's value once the `with` set is evaluated, so it
# finds the second comparison true.)
with { c = x: x; }; [ ({ b = c; } == { b = c; }) ([ c ] == [ c ]) ]
