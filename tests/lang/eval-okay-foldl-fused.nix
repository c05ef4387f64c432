# foldl' with a curried operator runs its loop in RETURN (NX_FRAME_FOLD2,
# vm/exec.c): each element must be applied once, in order, to the result
# of the previous call.  Digits show the order; the other cases cover the
# heap environments (an inner body that makes thunks), nested folds whose
# frames both loop, a tryEval caught inside the operator, lazy elements and
# a lambda whose inner body is not reached through CALL2's shortcut.
let
  digits = builtins.foldl' (acc: x: acc * 10 + x) 0;
in [
  (digits [ 1 2 3 4 5 6 7 ])
  (digits [ 7 ])
  (digits [ ])
  (builtins.foldl' (acc: x: x - acc) 0 (builtins.genList (i: i * i) 6))
  (builtins.foldl' (acc: x: { n = acc.n + 1; last = x + 1; }) { n = 0; last = null; } [ 5 6 7 ])
  (builtins.foldl' (acc: x: acc ++ [ (digits x) ]) [ ] [ [ 1 2 ] [ ] [ 3 4 5 ] [ 6 ] ])
  (builtins.foldl' (acc: x: acc + builtins.foldl' (a: b: a * b) 1 x) 0 [ [ 1 2 ] [ 3 4 ] [ 5 ] ])
  (builtins.foldl' (acc: x: let r = builtins.tryEval (if x == 2 then throw "two" else x); in if r.success then acc * 10 + r.value else acc * 10 + 9) 0 [ 1 2 3 ])
  (builtins.foldl' (acc: x: acc) 1 [ (throw "not forced") (abort "nor this") ])
  (builtins.foldl' (acc: x: x) 0 (builtins.genList (i: i + 100) 5))
  (builtins.foldl' (acc: let k = 10; in x: acc * k + x) 0 [ 4 5 6 ])
  (builtins.foldl' (acc: x: acc + x) "" [ "a" "b" "c" ])
]
