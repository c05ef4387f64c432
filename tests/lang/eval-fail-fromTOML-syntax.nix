builtins.fromTOML "x = [ 1, 2"
