a: a ? a.b.c or 1
