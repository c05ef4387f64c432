[
  (builtins.sort builtins.lessThan [ 3 1 2 ])
  (builtins.sort (a: b: a > b) [ 3 1 2 ])
  (builtins.sort builtins.lessThan [ "b" "a" "c" "" ])
  (builtins.sort builtins.lessThan [ ])
  (builtins.sort builtins.lessThan [ [ 2 ] [ 1 3 ] [ 1 ] ])
  (builtins.sort (a: b: a < b) [ 1.5 1 2 ])
]
