[
  (builtins.listToAttrs [ { name = "a"; value = 1; } { name = "b"; value = 2; } ])
  (builtins.listToAttrs [ ])
  (builtins.listToAttrs [ { name = "x"; value = "first"; } { name = "x"; value = "second"; } ])
  (builtins.listToAttrs (map (n: { name = n; value = n + n; }) [ "p" "q" ]))
]
