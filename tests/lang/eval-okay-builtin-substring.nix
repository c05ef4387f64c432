let s = "hello world"; in [
  (builtins.substring 0 5 s)
  (builtins.substring 6 100 s)
  (builtins.substring 11 1 s)
  (builtins.substring 20 3 s)
  (builtins.substring 3 0 s)
  (builtins.substring 2 (-1) s)
  (builtins.substring 0 1 "")
]
