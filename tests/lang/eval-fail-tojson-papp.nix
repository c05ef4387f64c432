# toJSON names the builtin it cannot convert.
builtins.toJSON { a = [ 1 (builtins.sub 2) ]; }
