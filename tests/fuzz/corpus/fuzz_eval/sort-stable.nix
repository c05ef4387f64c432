builtins.sort (a: b: a.k < b.k) [ { k = 2; v = 1; } { k = 1; v = 2; } { k = 2; v = 3; } ]
