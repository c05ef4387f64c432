a: [ a.b a.b.c a."b" a."b c".d a.${"e"} ]
