# genericClosure over a few thousand keys arriving in every order (the
# tree of keys seen rebalances in both directions): integers and floats
# that are equal are one key (the first element with it wins), lists
# compare element-wise, and the result keeps the breadth-first order.
let
  gc = builtins.genericClosure;
  n = 1000;
  # Keys n, n-1, … and 0, 1, … meeting in the middle, each also as a
  # float (after the integer going down, before it going up).
  both = gc {
    startSet = [ { key = n; d = -1; } { key = 0; d = 1; } ];
    operator = x:
      let k = builtins.floor x.key + x.d; in
      if k < 0 || k > n then [ ]
      else if x.d < 0 then [ { key = k; d = x.d; } { key = k * 1.0; d = x.d; dup = true; } ]
      else [ { key = k * 1.0; d = x.d; } { key = k; d = x.d; dup = true; } ];
  };
  # Keys visited in a scrambled order (i * 7919 mod 1001), with duplicates.
  scrambled = gc {
    startSet = [ { key = [ 0 ]; i = 0; } ];
    operator = x: if x.i >= n then [ ] else [
      { key = [ ((x.i + 1) * 7919 - ((x.i + 1) * 7919 / 1001) * 1001) ]; i = x.i + 1; }
      { key = [ ((x.i + 1) * 7919 - ((x.i + 1) * 7919 / 1001) * 1001) ]; i = n; dup = true; }
    ];
  };
in [
  (builtins.length both)
  (builtins.any (x: x ? dup) both)
  (builtins.length (builtins.filter (x: builtins.isFloat x.key) both))
  (builtins.length scrambled)
  (builtins.any (x: x ? dup) scrambled)
  (map (x: x.key) (builtins.genList (i: builtins.elemAt both (i * 100)) 11))
  (map (x: x.key) (builtins.genList (i: builtins.elemAt scrambled (i * 100)) 10))
]
