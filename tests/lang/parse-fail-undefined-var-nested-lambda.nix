x:
  y:
    z:
      [ x y z w ]
