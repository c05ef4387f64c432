# partition forces each element before calling the predicate, even one the
# predicate ignores (CppNix 2.8 and modern); tryEval sees the throw
[
  (builtins.tryEval (builtins.partition (e: true) [ 1 (throw "forced") ]))
  (builtins.tryEval (builtins.length (builtins.partition (e: true) [ 1 (throw "forced") ]).wrong))
  (builtins.partition (e: e > 1) [ 1 2 3 ])
  (builtins.tryEval (builtins.length (builtins.filter (e: true) [ 1 (throw "not forced") ])))
]
