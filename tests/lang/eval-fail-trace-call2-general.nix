# `g { x = 1; } "s"` applies a lambda with a pattern to two arguments: not
# an `a: b:` lambda, so CALL2 goes through its trampoline frame; the inner
# lambda's call site is still the application (modern CppNix: "from call
# site" under "while calling anonymous lambda"; Nix 2.8's trace differs).
let
  g = { x }: y: x + y;
in
g { x = 1; } "s"
