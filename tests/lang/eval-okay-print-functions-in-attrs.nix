{ f = x: x; g = builtins.add; h = builtins.add 1; i = { j = y: y; }; }
