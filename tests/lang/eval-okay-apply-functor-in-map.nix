builtins.map { __functor = self: x: x * 3; } [ 1 2 ]
