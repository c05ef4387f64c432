[
  (toString 42)
  (toString (-7))
  (toString "s")
  (toString true)
  (toString false)
  (toString null)
  (toString [ 1 "a" [ 2 3 ] null true ])
  (toString [ ])
]
