(rec { xs = [ 1 2 ]; n = builtins.length xs; f = x: if x == 0 then n else f (x - 1); }).f 3
