# Every cached lookup site (SELECT, SELECT_OR, HASATTR, with variables)
# runs over sets of different sizes and layouts, flat and layered, with
# the name present at different positions, absent before, between and
# after the other names: a cached position taken on trust would answer
# for the previous set.  Each list of shapes is walked twice, forwards
# and backwards, so every transition happens in both directions.
let
  mk = names: builtins.listToAttrs (map (n: { name = n; value = "${n}!"; }) names);
  big = mk (builtins.genList (i: "n${toString i}") 20);
  bigB = mk ([ "b" ] ++ builtins.genList (i: "n${toString i}") 20);
  flattened = big // { b = "flat"; };
  shapes = [
    { b = 1; }
    { a = 0; b = 2; c = 3; }
    { a = 0; c = 3; }
    { zz = 9; }
    { }
    (mk [ "a" "b" "c" "d" "e" "f" ])
    (mk [ "c" "d" "e" "f" "g" ])
    (big // { b = "top"; })
    (big // { n3 = "over"; })
    ((big // { x = 1; }) // { b = "upper"; })
    (bigB // { n1 = "t"; })
    ((bigB // { n2 = "u"; }) // { y = 2; })
    flattened
    big
    bigB
    (mk [ "b" "n1" "n2" ])
    # name and value are older symbols than b: b is absent after the end
    # of the first set, present at the end of the second, of the same size.
    { name = 0; value = 1; }
    { name = 0; b = "last"; }
    42
  ];
  twice = l: l ++ builtins.genList (i: builtins.elemAt l (builtins.length l - 1 - i)) (builtins.length l);
  all = twice shapes;
  isSet = builtins.isAttrs;
  sets = builtins.filter isSet all;
in
# nx_attrs_flat_of: the flattened layered set is read as a flat one.
assert builtins.length (builtins.attrNames flattened) == 21;
{
  select = map (s: s.b) (builtins.filter (s: s ? b) sets);
  selectOr = map (s: s.b or "none") all;
  hasAttr = map (s: s ? b) all;
  hasAttrN3 = map (s: s ? n3) all;
  path = map (s: { p.q = s; }.p.q.b or "none") all;
  pathHas = map (s: { p.q = s; } ? p.q.b) all;
  pathSelect = map (s: { p.q = s; }.p.q.b) (builtins.filter (s: s ? b) sets);
  withVar = map (s: with { b = "outer"; n1 = "outer1"; }; with s; [ b n1 ]) sets;
  withThree = map (s: with big; with { b = "mid"; }; with s; [ b n5 ]) sets;
  withLazy = map (s: with { b = "outer"; }; with s; { v = b; }) sets;
  # Ten with scopes: the lookup passes the eight cached ones.
  withDeep = map (s: with { b = "deep"; }; with { }; with { c = 1; }; with s; with { }; with { d = 2; };
    with { e = 3; }; with { }; with { f = 4; }; with { g = 5; }; b) sets;
}
