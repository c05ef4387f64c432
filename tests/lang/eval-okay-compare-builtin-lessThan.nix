[ (builtins.lessThan "a" "b") (builtins.lessThan [ 1 ] [ 0 ]) (builtins.lessThan 2 1.5) ]
