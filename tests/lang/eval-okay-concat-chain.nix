# `++` chains: elements stay unevaluated, left-nested chains, empty lists,
# a list concatenated with itself, variables and calls as operands.
let
  l = [ 1 2 ];
  f = x: [ x ] ++ l ++ [ x ];
  bad = [ 1 ] ++ [ (throw "not evaluated") ] ++ [ 3 ];
in [
  (builtins.length bad)
  (builtins.elemAt bad 2)
  (([ 1 ] ++ [ 2 ]) ++ [ 3 ] ++ ([ 4 ] ++ [ 5 ]))
  ([ ] ++ [ ] ++ [ ])
  ([ ] ++ [ 1 ] ++ [ ])
  (l ++ l ++ l)
  (f 0 ++ f 9 ++ [ ])
  (builtins.tryEval ([ 1 ] ++ throw "t" ++ [ 3 ])).success
  (builtins.concatLists [ ([ 1 ] ++ [ 2 ] ++ [ 3 ]) [ 4 ] ])
]
