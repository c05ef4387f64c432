# As eval-fail-tail-if-condition, with the trace: a thunk's value under
# `with` and `let`, whose `if` is in tail position, called from a lambda's
# tail `if`.
let
  g = s: with s; let y = v; in if y then 1 else 2;
  f = x: if x == 1 then g { v = "no"; } else 0;
in f 1
