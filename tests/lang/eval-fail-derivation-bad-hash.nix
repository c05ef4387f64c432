# Modern Nix says "hash algorithm" where 2.8 said "hash type".
(derivation {
  name = "fixed"; builder = "/bin/sh"; system = "x86_64-linux";
  outputHash = "abc"; outputHashAlgo = "sha256";
}).outPath
