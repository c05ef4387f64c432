let
  s = { a = { b = 1; }; n = null; };
in
[ (s.a.b or 0) (s.a.c or 0) (s.x.y.z or "deep") (s.n.x or "null-is-not-a-set") (s.a.b.c or "int-is-not-a-set") ]
