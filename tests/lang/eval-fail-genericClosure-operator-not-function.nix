# forceFunction's context for the operator attribute (modern CppNix; raised
# at no position).
builtins.genericClosure { startSet = [ { key = 1; } ]; operator = 5; }
