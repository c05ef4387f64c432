# `small // big` is a layer of small's names that big lacks, over big
# (vm/ops.c update_under).  big's values and positions win on shared
# names; everything that reads the whole set, looks names up or walks
# it sees the union.
let
  mk = p: n: builtins.listToAttrs (builtins.genList (i: { name = "${p}${toString i}"; value = "${p}-${toString i}"; }) n);
  big = mk "k" 40 // { f = x: x + 1; };
  small = { k3 = "small-3"; own = "small-own"; zz = 1; };
  u = small // big;
  # all of small's names are in big: a new set, printed in full (not «repeated»)
  same = { k1 = "no"; k2 = "no"; } // big;
  # layers over the layer, and the layer over a layered set
  over = u // { k5 = "over-5"; own = "over-own"; };
  under2 = { a = 1; k7 = "under2"; } // u;
  bigl = big // { k9 = "layered-9"; };
  underl = { k9 = "no"; x = "x"; } // bigl;
  # a chain deeper than the layers allowed (16): flattened on the way
  chain = builtins.foldl' (acc: i: { "c${toString i}" = i; k0 = "c"; } // acc) big (builtins.genList (i: i) 40);
  names = s: builtins.concatStringsSep "," (builtins.attrNames s);
  pos = n: s: let p = builtins.unsafeGetAttrPos n s; in if p == null then null else p.line;
in {
  values = [ u.k3 u.own u.zz u.k0 u.k39 (u.f 1) (u.missing or "default") (u ? own) (u ? k3) (u ? nope) ];
  count = [ (builtins.length (builtins.attrNames u)) (builtins.length (builtins.attrNames same)) (builtins.length (builtins.attrValues chain)) ];
  names = names u;
  over = [ over.k5 over.own over.k3 over.zz (names over) ];
  under2 = [ under2.a under2.k7 under2.own (builtins.length (builtins.attrNames under2)) ];
  underl = [ underl.k9 underl.x underl.k8 (builtins.length (builtins.attrNames underl)) ];
  chain = [ chain.c0 chain.c39 chain.k0 chain.k1 (builtins.hasAttr "c20" chain) ];
  inter = [
    (builtins.intersectAttrs { own = null; k3 = null; nope = null; } u)
    (builtins.intersectAttrs u { own = 1; k3 = 2; nope = 3; })
    (builtins.intersectAttrs { x = 0; k9 = 0; } underl)
    (builtins.length (builtins.attrNames (builtins.intersectAttrs u big)))
  ];
  walk = [
    (builtins.mapAttrs (n: v: n) (builtins.removeAttrs u [ "f" ]))
    (builtins.removeAttrs u (builtins.attrNames big))
    (builtins.toJSON (builtins.removeAttrs under2 [ "f" ]))
    (builtins.attrValues (builtins.removeAttrs underl [ "f" ]))
  ];
  pos = [ (pos "k3" u) (pos "own" u) (pos "k5" over) (pos "a" under2) (pos "k9" underl) ];
  eq = [ (u == u) (same == big) (u == big) (builtins.removeAttrs u [ "f" ] == builtins.removeAttrs (small // big) [ "f" ]) ];
  same = builtins.removeAttrs same [ "f" ];
  # a set met twice prints as «repeated»: `b // { }` is b itself, `small // b` a new set
  rep = let b = mk "r" 20; in [ b ({ r1 = 0; } // b) (b // { }) ];
}
