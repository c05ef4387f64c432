# `a // b` with b small beside a: nixe makes a layered set that shares a
# instead of copying it (docs/vm.md).  Every reader must see what a copy
# would give: shadowing at several depths, iteration, equality, JSON,
# removeAttrs, `with`, inherit, formals, the attribute builtins.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 40);
  l1 = big // { k3 = "three"; x = 1; };
  l2 = l1 // { k3 = "THREE"; k7 = 7.5; };
  l3 = l2 // { x = 2; y = "why"; };
  l4 = l3 // { k0 = null; };
  flat = builtins.listToAttrs (map (n: { name = n; value = l4.${n}; }) (builtins.attrNames l4));
  show = s: builtins.concatStringsSep " " (map (n: "${n}=${builtins.toJSON s.${n}}") (builtins.attrNames s));
in {
  sel = [ l1.k3 l2.k3 l3.k3 l4.k3 l1.x l3.x l4.x l4.k7 l4.k39 l4.k0 big.k3 big.k0 ];
  has = [ (l4 ? k39) (l4 ? x) (l4 ? nope) (l1 ? y) (l3 ? y) (big ? x) ];
  orDefault = [ (l4.nope or "d") (l1.y or "no y") (l3.y or "no y") (l2.x.z or "not a set") ];
  counts = map (s: builtins.length (builtins.attrNames s)) [ big l1 l2 l3 l4 ];
  shown = map show [ l1 l4 ];
  values = builtins.attrValues l4;
  eq = [ (l4 == flat) (l3 == l4) (l4 == l4 // { }) (l2 == big) (l1 // { k3 = 3; x = null; } == big // { x = null; }) ];
  mapped = builtins.attrValues (builtins.mapAttrs (n: v: if builtins.isInt v then v * 2 else n) l4);
  json = builtins.toJSON l3;
  removed = let r = builtins.removeAttrs l4 [ "k3" "x" "k10" ]; in
    [ (r ? k3) (r ? x) (r ? k11) (r ? y) (builtins.length (builtins.attrNames r)) (show (r // { k3 = "back"; })) ];
  withScope = with l4; [ k3 x k39 y ];
  nestedWith = with big; with l2; [ k3 x k7 ];
  inherited = let inherit (l3) k3 x; in [ k3 x ];
  inRec = rec { inherit (l4) k0 k3; z = k3; };
  getAttr = [ (builtins.getAttr "k3" l2) (builtins.hasAttr "k7" l1) (builtins.hasAttr "k7" l2) ];
  intersect = builtins.intersectAttrs { k3 = 0; x = 0; zz = 0; } l4;
  intersect2 = builtins.attrNames (builtins.intersectAttrs l4 { k3 = 0; x = 0; zz = 0; k5 = 1; });
  catAttrs = builtins.catAttrs "x" [ l1 big l3 ];
  formals = ({ k3, x, y ? "dflt", ... }: [ k3 x y ]) l2;
  formalsAll = (args@{ k3, ... }: builtins.length (builtins.attrNames args)) l4;
  listToAttrsBack = builtins.listToAttrs (map (n: { name = n; value = 0; }) (builtins.attrNames l4)) == builtins.mapAttrs (n: v: 0) l4;
  zipped = builtins.zipAttrsWith (n: vs: vs) [ { k3 = 1; } l2 { k3 = 2; } ];
  types = [ (builtins.typeOf l4) (builtins.isAttrs l3) ];
  functor = ({ __functor = self: a: self.k + a; } // big // { k = 10; }) 5;
  toStr = "${big // { __toString = self: "str:${toString self.k1}"; }}";
  seqd = builtins.deepSeq l4 "forced";
}
