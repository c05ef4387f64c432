# modern CppNix: "attribute 'key' missing" (Nix 2.8: "attribute 'key' required")
builtins.genericClosure { startSet = [ { nokey = 1; } ]; operator = x: [ ]; }
