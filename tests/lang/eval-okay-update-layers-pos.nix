# unsafeGetAttrPos through layers: the position of the layer whose entry
# wins.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 20) // {
    a = 1;
  };
  s = big // { b = 2; } // {
    a = 3; };
  t = s // { k5 = 5; };
in map (n: builtins.unsafeGetAttrPos n t) [ "a" "b" "k5" "k6" "nope" ]
