[ (1.5 + 1) (1 + 0.5) (3 / 2.0) (2 * 0.25) (0.5 - 1) (1.0 / 4) (builtins.div 1.0 2) (builtins.typeOf (1 + 1.0)) (builtins.typeOf (2 * 1)) ]
