let s = rec { a = b; b = 1; c = [ a b ]; }; l = [ l ]; in s // { x = s.c; }
