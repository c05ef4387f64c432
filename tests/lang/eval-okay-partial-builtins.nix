let
  add1 = builtins.add 1;
  mapInc = builtins.map (x: x + 1);
  sub = builtins.sub;
  getA = builtins.getAttr "a";
in
[ (add1 2) (mapInc [ 1 2 ]) (sub 10 3) (getA { a = "A"; }) (builtins.foldl' builtins.add 0 [ 1 2 3 ]) ]
