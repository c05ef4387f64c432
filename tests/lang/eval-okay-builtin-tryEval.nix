[
  (builtins.tryEval 1)
  (builtins.tryEval (throw "caught"))
  (builtins.tryEval (assert false; 1))
  (builtins.tryEval (assert 1 == 2; 1))
  (builtins.tryEval "s")
  (builtins.tryEval { a = throw "shallow"; }).success
  (builtins.tryEval (let x = throw "inner"; in x + 1))
  (builtins.tryEval ({ a = 1; }.a + 1))
]
