import ./eval-files-fixture/assert-span.nix 1
