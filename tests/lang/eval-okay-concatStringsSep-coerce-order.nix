# concatStringsSep forces and coerces each element in turn: a __toString
# call's result, an outPath and a path (copied to the store) between
# unevaluated strings.  Checked against Nix 2.8.
let tos = v: { __toString = self: v; }; in
[
  (builtins.concatStringsSep "," (builtins.genList (i: if i == 1 then tos "t" else if i == 3 then { outPath = "o"; } else toString i) 5))
  (builtins.concatStringsSep "-" [ (builtins.head [ "a" ]) (tos (tos "b")) "c" ])
]
