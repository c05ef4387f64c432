# The condition of an `if` in tail position (inside a let, as a lambda's
# value) keeps its error and position.
let
  f = x: let y = x; in if y then 1 else 2;
in f "no"
