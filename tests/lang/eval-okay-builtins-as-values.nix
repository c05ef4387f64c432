[ (builtins.isFunction builtins.add) (builtins.isFunction (builtins.add 1)) (builtins.typeOf builtins.map) (builtins.isFunction builtins.true) ]
