# concatLists forces its elements in order, resuming after each one (a
# list of thunks, as concatMap makes), and copies short and long lists.
let
  big = builtins.genList (i: i) 9;
  xs = builtins.genList (i: builtins.genList (j: i * 10 + j) (builtins.div i 2)) 8;
  lazy = map (n: builtins.genList (j: n) n) [ 0 1 0 6 2 0 ];
in [
  (builtins.concatLists xs)
  (builtins.concatLists lazy)
  (builtins.concatLists [ [ ] big [ ] ])
  (builtins.concatLists [ [ ] [ ] ])
  (builtins.concatLists (map (x: [ x ]) big))
  (builtins.concatLists [ big [ 9 ] big ])
  (builtins.length (builtins.concatLists (builtins.genList (i: big) 1000)))
  (builtins.concatMap (x: if x == 3 then big else [ x (x + 100) ]) [ 1 2 3 4 ])
  (builtins.concatLists [ (builtins.concatLists [ [ 1 ] [ 2 ] ]) (builtins.concatLists [ ]) [ 3 ] ])
]
