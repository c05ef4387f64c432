# intersectAttrs walks whichever set is smaller; either way the values come
# from the second set and the result is a fresh set in name order.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "n${toString i}"; value = i * 10; }) 50);
  small = { n3 = "a"; n47 = "b"; zz = "c"; n0 = null; };
in [
  (builtins.intersectAttrs small big)
  (builtins.intersectAttrs big small)
  (builtins.attrNames (builtins.intersectAttrs big big) == builtins.attrNames big)
  (builtins.intersectAttrs { } big)
  (builtins.intersectAttrs big { })
  (builtins.removeAttrs big (builtins.genList (i: "n${toString (i * 2)}") 25) == builtins.intersectAttrs (builtins.listToAttrs (builtins.genList (i: { name = "n${toString (i * 2 + 1)}"; value = null; }) 25)) big)
  (builtins.removeAttrs small [ "zz" "zz" "nope" "n0" ])
]
