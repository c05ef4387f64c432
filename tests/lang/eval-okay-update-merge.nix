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
in {
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
