# Deep equality over structures full of unevaluated thunks: each thunk
# suspends the comparison, which resumes where it stopped once the thunk is
# forced.  Differences early, late and deep; two comparisons of the same
# values interleaved; a comparison whose thunks run other comparisons.
let
  mk = d: n: builtins.genList (x: { a = x; b = [ x (x + d) ]; c = { inherit x; }; }) n;
  big = mk 1 3000;
  same = mk 1 3000;
  lateDiff = builtins.genList (x: { a = x; b = [ x (x + (if x == 2999 then 2 else 1)) ]; c = { inherit x; }; }) 3000;
  earlyDiff = [ { a = 0; b = [ 0 5 ]; c = { x = 0; }; } ] ++ builtins.tail (mk 1 3000);
  inner = builtins.genList (x: (mk 1 20 == mk 1 20) && x >= 0) 50;
  innerSame = builtins.genList (x: true) 50;
  drvLike = n: { type = "derivation"; outPath = "/p/${toString n}"; junk = throw "never"; };
in [
  (big == same)
  (big == lateDiff)
  (big == earlyDiff)
  (same == big)
  (inner == innerSame)
  (builtins.elem (builtins.elemAt same 1500) big)
  ([ big big ] == [ same same ])
  (builtins.genList drvLike 100 == builtins.genList drvLike 100)
  (builtins.genList (x: x) 10 < builtins.genList (x: if x == 9 then 10 else x) 10)
]
