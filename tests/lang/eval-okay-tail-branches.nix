# An `if` as the value of a lambda, a thunk or a file returns from each
# branch; a `let` or `with` around it returns without leaving its scope
# (compile.c, tail).  Nested and non-tail forms, and variables two
# scopes up (VAR2).
let
  pick = c: if c then "then" else "else";
  deep = x: let y = x + 1; in with { z = y * 2; }; if x > 2 then (if z > 10 then "big" else "mid") else let w = z; in "small ${toString w}";
  nontail = c: (if c then 1 else 2) + (let q = 10; in q) + (with { r = 100; }; r);
  up2 = a: let b = a * 10; in c: if c then a else b + a;
  lazy = a: let u = 0; in _: a;
  th = let v = if builtins.length [ 1 2 ] == 2 then "two" else "other"; in v;
in [
  (pick true)
  (pick false)
  (map deep [ 1 3 9 ])
  (nontail true)
  (nontail false)
  (up2 4 true)
  (up2 4 false)
  (lazy (1 + 2) null)
  th
  (let f = n: if n == 0 then 0 else f (n - 1); in f 100)
  (with { k = 5; }; if k == 5 then with { k = 6; }; k else k)
]
