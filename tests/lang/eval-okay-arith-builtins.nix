[ (builtins.add 1 2) (builtins.sub 1 2) (builtins.mul 3 4) (builtins.div 9 2) (builtins.lessThan 1 2) (builtins.lessThan 2 1) ]
