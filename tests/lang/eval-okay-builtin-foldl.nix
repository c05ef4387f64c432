[
  (builtins.foldl' (acc: x: acc + x) 0 [ 1 2 3 4 ])
  (builtins.foldl' (acc: x: acc ++ [ x ]) [ ] [ 1 2 3 ])
  (builtins.foldl' (acc: x: x - acc) 0 [ 1 2 3 ])
  (builtins.foldl' (acc: x: acc) "init" [ ])
  (builtins.foldl' (a: b: "${a}${b}") "" [ "x" "y" "z" ])
]
