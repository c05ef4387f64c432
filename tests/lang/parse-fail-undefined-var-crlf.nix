x:
  [ x
    y ]
