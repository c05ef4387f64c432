# The __functor attribute itself fails to evaluate, and a functor called
# by a builtin (map): the entry is at the builtin's call of it.
builtins.map { __functor = throw "no functor here"; } [ 1 ]
