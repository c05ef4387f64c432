[ ''a
  b
'' ''  first
  second'' ]
