# modern Nix forces the generator of genList even for 0 elements (2.8 does not)
builtins.length (builtins.genList (throw "generator") 0)
