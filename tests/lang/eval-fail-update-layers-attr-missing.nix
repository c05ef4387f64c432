# A name missing from a layered set: the suggestion comes from every layer.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 20);
  s = big // { extra = 1; } // { other = 2; };
in s.extr
