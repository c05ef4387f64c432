# --show-trace: a derivation whose name fails has no name to show yet:
# CppNix's derivationStrict says which attribute it was evaluating
# instead.  Nix 2.8 prints traces differently.
builtins.derivationStrict {
  name = throw "no name";
  builder = "/bin/sh";
  system = "x86_64-linux";
}
