# a // b copies runs of a between the places of b's names; these cases
# cover empty sides, overlaps at the ends and in the middle, b larger than
# a, and that b's values and positions win.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 50);
  names = s: builtins.attrNames s;
  vals = s: builtins.attrValues s;
  pos = n: s: let p = builtins.unsafeGetAttrPos n s; in if p == null then null else p.line;
  right = { k0 = "r0"; k25 = "r25";
    k49 = "r49"; new = "n"; };
  left = { a = 1;
    b = 2; };
  u1 = big // right;
  # Many sizes and gaps: a // b against listToAttrs of b's entries then
  # a's (the first occurrence of a name wins there).
  mk = n: k: m: builtins.listToAttrs (builtins.genList (i: { name = "r${toString ((i * k + m) - (i * k + m) / 97 * 97)}"; value = "${toString n}-${toString i}"; }) n);
  entries = s: map (n: { name = n; value = s.${n}; }) (builtins.attrNames s);
  agree = a: b: a // b == builtins.listToAttrs (entries b ++ entries a);
  sizes = [ 1 2 3 7 9 30 60 97 ];
in {
  random = builtins.all (x: x) (builtins.concatMap (n: map (m: agree (mk n 13 5) (mk m 31 (n + 1)) && agree (mk m 7 n) (mk n 3 m)) sizes) sizes);
  emptyLeft = { } // left;
  emptyRight = left // { };
  both = { } // { };
  u1names = names u1;
  u1vals = vals u1;
  u1count = builtins.length (names u1) == 51;
  smallBig = vals (right // big);
  interleave = { a = 1; c = 3; e = 5; g = 7; } // { b = 2; c = 30; d = 4; h = 8; };
  allNew = { a = 1; } // { b = 2; c = 3; };
  allSame = { a = 1; b = 2; } // { a = 10; b = 20; };
  chain = builtins.foldl' (acc: i: acc // { "x${toString i}" = i; n = (acc.n or 0) + 1; }) { } (builtins.genList (i: i) 40);
  positions = [ (pos "k25" u1) (pos "new" u1) (pos "b" (left // { a = 0; })) (pos "a" (left // { a = 0; })) ];
}
