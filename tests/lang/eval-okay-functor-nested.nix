# __functor may itself return a set with __functor
let
  f = { __functor = self: a: { __functor = self2: b: a + b; }; };
in
f 1 2
