let
  mk = n: { get = _: n; inc = x: x + n; };
  c = mk 5;
in
[ (c.get null) (c.inc 10) ((mk 1).inc 1) ]
