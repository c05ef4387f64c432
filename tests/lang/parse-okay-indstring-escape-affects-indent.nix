# Escapes end the leading whitespace of a line (they count as text).
[ ''
  ''\ta
    b
'' ''
    a''\nb
    c
'' ]
