# The first comparison of a new key is with the root of the tree of keys
# seen (std::set in CppNix): after 1, 2 and 3 that is 2, the key the
# error's values and its "with element" entry name.
builtins.genericClosure { startSet = [ { key = 1; } { key = 2; } { key = 3; } { key = "a"; } ]; operator = x: [ ]; }
