# import evaluates another file; its value is cached
let
  lib = import ./eval-import-lib.nix;
in
[ (lib.double 21) lib.name ((import ./eval-import-lib.nix).double 1) (import ./eval-import-fn.nix 7) ]
