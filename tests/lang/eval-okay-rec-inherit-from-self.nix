rec { a = { b = 1; c = 2; }; inherit (a) b; d = b + a.c; }
