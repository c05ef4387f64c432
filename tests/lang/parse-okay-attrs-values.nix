f: { a = f 1; b = x: x; c = if true then 1 else 2; d = let y = 1; in y; e = with f; e; }
