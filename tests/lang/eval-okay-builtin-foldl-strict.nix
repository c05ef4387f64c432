# foldl' forces the accumulator at each step, but not the list elements
[ (builtins.foldl' (acc: x: acc + 1) 0 [ (throw "a") (throw "b") ]) (builtins.foldl' (acc: x: acc) 0 [ (throw "c") 1 ]) (builtins.foldl' (acc: x: x) (throw "initial value unused") [ 1 ]) ]
