# positions kept or made by builtins: listToAttrs gives the element's `value`
# position, mapAttrs none, //, removeAttrs and intersectAttrs keep them.
let
  s = { a = 1; b = 2; };
  l = builtins.listToAttrs [ { name = "x"; value = 1; } ];
  m = builtins.mapAttrs (n: v: v) s;
  u = s // { c = 3; };
  r = removeAttrs s [ "b" ];
  i = builtins.intersectAttrs { a = null; } s;
  rec1 = rec { p = 1; q = p; };
  inh = let z = 1; in { inherit z; };
  f = ({ a ? 1 }@args: args) { a = 5; };
  nested = { a.b = 1; a.c = 2; };
in map (x: builtins.unsafeGetAttrPos (builtins.elemAt x 0) (builtins.elemAt x 1)) [
  [ "x" l ] [ "a" m ] [ "a" u ] [ "c" u ] [ "a" r ] [ "a" i ] [ "q" rec1 ] [ "z" inh ] [ "a" f ] [ "c" nested.a ] [ "a" nested ]
]
