# Derivations (sets whose type is "derivation") compare by outPath; other
# sets structurally.  Repeated comparisons of the same sets (elem over a
# list, as lib's unique does) go through nixe's cache of each set's kind.
let
  drv = name: out: { type = "derivation"; outPath = out; inherit name; };
  a = drv "a" "/nix/store/a";
  a2 = drv "a2" "/nix/store/a";
  b = drv "b" "/nix/store/b";
  noOut = { type = "derivation"; name = "x"; };
  noOut2 = { type = "derivation"; name = "x"; };
  noOut3 = { type = "derivation"; name = "z"; };
  notDrv = { type = "other"; outPath = "/nix/store/a"; };
  notDrv2 = { type = "other"; outPath = "/nix/store/a"; name = "y"; };
  lazyType = { type = builtins.seq a "deriv" + "ation"; outPath = "/nix/store/a"; extra = 1; };
  pathOut = { type = "derivation"; outPath = /tmp/x; };
  pathOut2 = { type = "derivation"; outPath = "/tmp/x"; };
  lazyOut = { type = "derivation"; outPath = builtins.substring 0 12 "/nix/store/a/long"; x = 1; };
  layered = a // { name = "layered"; };
  ds = builtins.genList (i: drv "d${toString i}" "/nix/store/${toString (i / 3)}") 300;
  unique = list: builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ] list;
in [
  (a == a2) (a == b) (noOut == noOut2) (noOut == noOut3) (notDrv == notDrv2)
  (a == lazyType) (lazyType == a2) (lazyOut == a) (a == lazyOut)
  (builtins.elem a [ b noOut notDrv a2 ]) (builtins.elem b [ a a2 ]) (builtins.elem notDrv [ a ])
  (pathOut == pathOut2) (pathOut == pathOut)
  (a == { type = "derivation"; outPath = "/nix/store/a"; })
  ([ a b ] == [ a2 b ]) ({ x = a; } == { x = a2; }) (a == notDrv) (layered == a) (layered == b)
  (builtins.length (unique ds)) (map (d: d.name) (unique ds))
  (builtins.length (builtins.filter (x: builtins.elem x [ a b ]) (ds ++ [ a2 b a ])))
]
