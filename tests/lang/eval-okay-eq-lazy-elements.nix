# equality stops at the first difference (size or element)
[
  ([ 1 (throw "not reached") ] == [ 2 (throw "not reached") ])
  ([ 1 2 ] == [ 1 2 3 (throw "not reached") ])
  ({ a = 1; b = throw "x"; } == { a = 1; })
]
