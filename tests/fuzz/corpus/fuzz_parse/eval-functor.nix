let f = { __functor = self: x: x + 1; }; in f 1
