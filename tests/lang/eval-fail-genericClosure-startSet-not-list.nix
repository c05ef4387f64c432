# forceList's context for the startSet attribute (modern CppNix; the error
# has no position).
builtins.genericClosure { startSet = { key = 1; }; operator = x: [ ]; }
