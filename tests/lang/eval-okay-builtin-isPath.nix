[ (builtins.isPath ./x) (builtins.isPath "./x") (builtins.typeOf (./x + "y")) ]
