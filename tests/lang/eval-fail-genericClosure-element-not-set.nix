# An element that is not a set: forceAttrs's error without a position, under
# "in genericClosure element E" (modern CppNix 2.35; Nix 2.8 has neither).
builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: [ "two" ]; }
