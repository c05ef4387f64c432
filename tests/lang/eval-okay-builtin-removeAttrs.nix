let s = { a = 1; b = 2; c = 3; }; in [ (builtins.removeAttrs s [ "a" "c" ]) (builtins.removeAttrs s [ ]) (builtins.removeAttrs s [ "zzz" ]) (builtins.removeAttrs { } [ "a" ]) ]
