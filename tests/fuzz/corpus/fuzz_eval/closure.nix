builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 10 then [ { key = x.key + 1; } ] else [ ]; }
