[ { a = rec { b = 1; }; a.c = 2; } { a.b = 1; a = rec { c = 2; }; } ]
