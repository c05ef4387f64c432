# A drvPath string in a derivation (context "=…drv") makes the whole
# closure of that derivation an input.  Nix 2.8 can compute this only when
# the .drv files are in a store: the .exp comes from
#   nix-instantiate --store /tmp/some-store --read-write-mode --eval --strict
let
  sys = "x86_64-linux";
  a = derivation { name = "a"; builder = "/bin/sh"; system = sys; outputs = [ "out" "doc" ]; };
  t = builtins.toFile "t" "uses ${builtins.toFile "u" "x"}";
  b = derivation { name = "b"; builder = "/bin/sh"; system = sys; x = a; inherit t; };
  c = derivation { name = "c"; builder = "/bin/sh"; system = sys; d = b.drvPath; };
in [ c.drvPath c.outPath ]
