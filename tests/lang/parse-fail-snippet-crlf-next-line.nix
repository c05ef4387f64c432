x:
  [ y
  ]
