builtins.fromTOML ''
  a = 1
  [b]
  c = "d"
  e = [ 1.5, true ]
''
