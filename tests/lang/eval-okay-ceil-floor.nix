# ceil and floor: floats round to integers, integers come back unchanged.
[
  (map builtins.ceil [ 1.5 (-1.5) 3 (-0.0) 0.1 9007199254740992 ])
  (map builtins.floor [ 1.5 (-1.5) 3 (-0.5) 2.0 (-9007199254740992) ])
  (builtins.typeOf (builtins.ceil 1.2))
]
