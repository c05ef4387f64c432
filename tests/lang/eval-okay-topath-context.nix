# toPath keeps the context of what it coerces (texlive's combine.nix
# lists its packages through builtins.toPath), whether given a derivation
# (through outPath) or a string with a context.
let
  d = derivation { name = "a"; builder = "b"; system = "c"; };
  p = builtins.toPath d;
  q = builtins.toPath "${d}/bin/../lib";
in [
  (builtins.getContext p)
  (builtins.getContext q)
  q
  (builtins.getContext (builtins.toPath "/tmp/x"))
]
