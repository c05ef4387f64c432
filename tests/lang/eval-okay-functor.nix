let
  counter = { n = 10; __functor = self: x: self.n + x; };
in
[ (counter 5) (builtins.map counter [ 1 2 ]) ]
