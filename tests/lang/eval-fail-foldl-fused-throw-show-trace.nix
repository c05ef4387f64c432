# As eval-fail-foldl-fused-throw, with --show-trace: the operator's
# "while calling anonymous lambda" sits between foldl' and throw.
builtins.foldl' (acc: x: if x == 3 then throw "element ${toString x} after ${toString acc}" else acc + x) 0 [ 1 2 3 4 ]
