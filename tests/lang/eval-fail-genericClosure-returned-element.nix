# CppNix 2.35 forces the elements the operator returned inside the
# operator call's context: the error names the element the operator got.
builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: [ (throw "bad element") ]; }
