import ./eval-assert-fixture/span.nix 1
