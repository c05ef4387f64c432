a: [ a . b a .b a. b a.
  c ]
