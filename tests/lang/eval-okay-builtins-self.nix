[ (builtins.typeOf builtins) (builtins.builtins.builtins.add 1 2) (builtins ? map) (builtins ? noSuchBuiltin) ]
