import ./eval-files-fixture/missing.nix
