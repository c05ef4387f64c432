# A failed `assert a == b` on lists of different lengths (modern CppNix's
# assertEqValues); Nix 2.8 says only "assertion … failed".
assert [ 1 2 ] == [ 1 ]; 1
