# --show-trace: derivationStrict names the derivation (where its name is,
# without a snippet) and the attribute being converted.  Nix 2.8 prints
# traces differently.
builtins.derivationStrict {
  name = "traced";
  builder = "/bin/sh";
  system = "x86_64-linux";
  env = throw "no env";
}
