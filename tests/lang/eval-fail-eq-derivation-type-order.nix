# Comparing two sets that both have a `type` forces the left one's first
# (after the derivations before it in the list compared by outPath).
let d = { type = "derivation"; outPath = "/nix/store/a"; }; in
builtins.elem { type = throw "left type"; }
  [ d { type = "derivation"; outPath = "/nix/store/b"; } { type = throw "right type"; x = 1; } ]
