# addErrorContext rethrows what it catches: tryEval still catches a throw
# through it, and an error while evaluating the context message replaces
# the original error (here a catchable throw replaces an abort).
let
  ctx = builtins.addErrorContext;
  lazyMsg = n: "message ${toString n}";
in
[
  (builtins.tryEval (ctx "outer" (ctx (lazyMsg 1) (throw "inner"))))
  (builtins.tryEval (ctx (throw "from the message") (abort "replaced")))
  (builtins.tryEval (ctx (throw "never forced") 42))
  (ctx { __toString = _: "a set as message"; } "passes through")
]
