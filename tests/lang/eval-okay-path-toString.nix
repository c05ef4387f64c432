# toString of a path gives its name; nothing is copied to the store
[ (toString ./a) (builtins.toString ./a/b) (builtins.typeOf (toString ./a)) ]
