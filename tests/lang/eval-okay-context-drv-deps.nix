# addDrvOutputDependencies (newer than Nix 2.8; expected value written by
# hand from CppNix's documentation): a plain .drv path in the context
# becomes the derivation with all its outputs, and back with
# unsafeDiscardOutputDependency.
let
  d = derivation { name = "ctx"; builder = "/bin/sh"; system = "x86_64-linux"; };
  plain = builtins.unsafeDiscardOutputDependency d.drvPath;
  deep = builtins.addDrvOutputDependencies plain;
in [
  (builtins.getContext plain)
  (builtins.getContext deep)
  (builtins.getContext (builtins.addDrvOutputDependencies d.drvPath))
  (deep == d.drvPath)
]
