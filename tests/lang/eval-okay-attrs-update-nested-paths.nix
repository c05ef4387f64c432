let s = { a.b = 1; a.c = 2; }; in s // { a.d = 3; }
