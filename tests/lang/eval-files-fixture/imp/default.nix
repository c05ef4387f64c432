import ./counted.nix
