# `//` of two layered sets (left big, right small or big), of a layered
# set under a flat one, and the order of attrNames across layers.
let
  mk = p: n: builtins.listToAttrs (builtins.genList (i: { name = "${p}${toString i}"; value = "${p}${toString i}"; }) n);
  L = mk "n" 200 // { n5 = "L5"; extra = "L"; };
  R = mk "n" 20 // { n7 = "R7"; r = "R"; };          # 21 names, layered itself
  Rbig = mk "m" 100 // { m1 = "Rb1"; n5 = "Rb5"; };  # too big to layer over L
  A = L // R;
  B = L // Rbig;
  C = R // L;
  D = (L // { q = 1; }) // (R // { q = 2; });
  show = s: builtins.concatStringsSep "," (map (n: "${n}:${toString s.${n}}") (builtins.filter (n: builtins.stringLength n < 3 || builtins.substring 0 1 n == "e" || builtins.substring 0 1 n == "r" || builtins.substring 0 1 n == "q") (builtins.attrNames s)));
in {
  counts = map (s: builtins.length (builtins.attrNames s)) [ L R A B C D ];
  a = show A;
  b = show B;
  c = show C;
  d = show D;
  sel = [ A.n5 A.n7 A.r A.extra B.n5 B.m1 C.n5 C.n7 D.q D.n7 ];
  eq = [ (A == C) (A == L // R) (B == Rbig // L) (builtins.attrNames A == builtins.attrNames C) ];
}
