x:
  y