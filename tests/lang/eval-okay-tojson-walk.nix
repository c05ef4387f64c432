# toJSON forces a large lazy value in one walk (nixos-options.nix builds
# the manual's option list this way): thunks everywhere, a set shared
# between many places, sets with an outPath seen only through it.
let
  shared = { x = 1 + 1; y = [ (builtins.toString 3) ]; };
  item = i: { n = i * 2; s = shared; l = [ shared (i + 1) ]; p = { outPath = "o${toString i}"; bad = throw "not forced"; }; };
  big = builtins.genList item 30000;
  j = builtins.toJSON big;
in [
  (builtins.stringLength j)
  (builtins.hashString "sha256" j)
  (builtins.toJSON (builtins.genList item 2))
]
