# f a b compiles to one CALL2: a lambda `x: y: …` is entered at its inner
# body, a two-argument builtin is called directly, everything else is
# (f a) b.  Each line would differ if a path applied the wrong function,
# dropped or swapped an argument.
let
  sub = a: b: a - b;
  withLet = a: let k = a * 10; in b: k - b;
  pattern = { x }: y: x - y;
  three = a: b: c: a - b - c;
  functor = { __functor = self: a: b: self.base + a - b; base = 1000; };
  partial = builtins.sub 100;
  thunkFn = if builtins.length [ 1 ] == 1 then sub else null;
  lazyArgs = a: b: 7;
  curriedReturnsPrimop = a: builtins.sub;
in [
  (sub 10 3)
  (withLet 2 5)
  (pattern { x = 9; } 4)
  (three 20 5 1)
  (functor 5 2)
  (builtins.sub 9 4)
  (builtins.elemAt [ "a" "b" "c" ] 2)
  (builtins.foldl' sub 100 [ 1 2 3 ])
  ((builtins.foldl' sub) 100 [ 1 2 ])
  (partial 1)
  (builtins.map (sub 1) [ 1 2 ])
  (thunkFn 8 1)
  (lazyArgs (throw "not forced") (throw "not forced either"))
  (curriedReturnsPrimop 1 2)
  ((curriedReturnsPrimop 1 2) 5)
  (builtins.genList (i: i * i) 4)
]
