# `?`, `==` and `!=` followed by a conditional jump take the branch
# themselves (exec.c): both outcomes, with `if`, `&&`, `||` and `->`, a
# dynamic name, a non-set, and the path form that keeps its own jumps.
let
  s = { a = 1; b = { c = 2; }; "x y" = 3; };
  n = "a";
  m = "nope";
  t = x: if x then "t" else "f";
in [
  (if s ? a then 1 else 0)
  (if s ? z then 1 else 0)
  (if s ? ${n} then 1 else 0)
  (if s ? ${m} then 1 else 0)
  (if s ? "x y" then 1 else 0)
  (if 3 ? a then 1 else 0)
  (if "s" ? ${n} then 1 else 0)
  (if s ? b.c then 1 else 0)
  (if s ? b.z then 1 else 0)
  (if s ? a.c then 1 else 0)
  (s ? a && s ? b)
  (s ? a && s ? z)
  (s ? z || s ? ${n})
  (s ? z -> false)
  (!(s ? a))
  (t (s ? a))
  (if 1 == 1 then "eq" else "ne")
  (if 1 == 2 then "eq" else "ne")
  (if [ 1 s ] == [ 1 s ] then "eq" else "ne")
  (if 1 != 2 then "ne" else "eq")
  (if "a" != "a" then "ne" else "eq")
  (1 == 1 && 2 != 2)
  (1 == 2 || 2 == 2)
  (map (x: if x == 2 then "two" else if x != 3 then "not three" else "three") [ 1 2 3 ])
  (builtins.filter (x: x ? a) [ { a = 1; } { } { a = 2; b = 3; } ])
]
