# a variable bound to a literal is not a thunk in Nix (ExprVar::maybeThunk)
let x = 1; y = "s"; in { a = x; b = y; c = x + 0; }
