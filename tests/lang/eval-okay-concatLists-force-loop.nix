# Once concatLists meets a thunk, the dispatch loop forces the rest of the
# elements itself: thunks and values mixed, thunks that run concatLists
# themselves (nested frames waiting the same way), a thunk that fails
# under tryEval (the next call on the same list starts over), and
# elements shared by two lists.
let
  big = builtins.genList (i: i) 6;
  th = n: builtins.genList (j: n) n;
  nested = map (n: builtins.concatLists (map (k: [ n k ]) (th n))) [ 0 1 2 3 ];
  failing = map (x: if x == 2 then throw "two" else [ x ]) [ 1 2 3 ];
  shared = map th [ 1 2 ];
in [
  (builtins.concatLists [ (th 2) [ 7 ] big (th 0) (th 1) [ ] (th 3) ])
  (builtins.concatLists [ [ 5 ] [ ] (th 2) ])
  (builtins.concatLists nested)
  (builtins.tryEval (builtins.concatLists failing))
  (builtins.tryEval (builtins.concatLists failing))
  (builtins.concatLists [ (builtins.head failing) (builtins.elemAt failing 2) ])
  (builtins.concatLists shared)
  (builtins.concatLists (shared ++ [ (th 3) ] ++ shared))
  (builtins.length (builtins.concatLists (builtins.genList (i: th (builtins.div i 100)) 500)))
]
