let
  range = a: b: if a > b then [ ] else [ a ] ++ range (a + 1) b;
  sum = l: if l == [ ] then 0 else builtins.head l + sum (builtins.tail l);
in
[ (range 1 10) (sum (range 1 100)) ]
