with { z = 1; }; with builtins; z + length [ 1 2 ]
