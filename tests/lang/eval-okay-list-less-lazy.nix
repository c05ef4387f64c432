# `<` on lists whose elements are unevaluated: each forced element makes
# the comparison run again, resuming where it stopped (for each level of
# nested lists).  Forcing an element may itself compare lists (nested
# suspensions), and a comparison abandoned by an error may be retried.
let
  ints = n: builtins.genList (i: i) n;
  # Elements that compare lists while being forced.
  cmpElems = n: builtins.genList (i: if ints (i + 1) < ints (i + 2) then i else -1) n;
  nested = d: x: if d == 0 then x else [ (d * 0) (nested (d - 1) x) ];
  bad = [ 1 2 (throw "third") 4 ];
in
[
  (ints 50 < ints 51)
  (ints 51 < ints 50)
  (ints 50 < ints 50)
  (ints 50 < (ints 49 ++ [ 50 ]))
  ((ints 49 ++ [ 50 ]) < ints 50)
  (cmpElems 30 < cmpElems 31)
  (cmpElems 30 < (cmpElems 29 ++ [ (-2) ]))
  (nested 6 (ints 20) < nested 6 (ints 21))
  (nested 6 (ints 21) < nested 6 (ints 20))
  (nested 6 [ 1 (1 + 1) ] < nested 6 [ 1 (2 + 1) ])
  (builtins.tryEval (bad < [ 1 2 3 5 ])).success
  (builtins.tryEval (bad < [ 1 2 3 5 ])).success
  ([ 1 2 ] < [ 1 2 (throw "not reached") ])
]
