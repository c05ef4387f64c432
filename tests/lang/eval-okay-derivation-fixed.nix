# Fixed-output derivations: flat and recursive, every algorithm, every hash
# encoding (base16, nix32, base64, SRI, prefixed "algo:").
let
  fo = extra: derivation ({ name = "fixed"; builder = "/bin/sh"; system = "x86_64-linux"; } // extra);
  sha256hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  cases = [
    { outputHash = sha256hex; outputHashAlgo = "sha256"; }
    { outputHash = sha256hex; outputHashAlgo = "sha256"; outputHashMode = "flat"; }
    { outputHash = sha256hex; outputHashAlgo = "sha256"; outputHashMode = "recursive"; }
    { outputHash = "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"; outputHashAlgo = "sha256"; }
    { outputHash = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; outputHashAlgo = "sha256"; }
    { outputHash = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; }
    { outputHash = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; outputHashAlgo = ""; outputHashMode = "recursive"; }
    { outputHash = "sha256:${sha256hex}"; }
    { outputHash = "a9993e364706816aba3e25717850c26c9cd0d89d"; outputHashAlgo = "sha1"; }
    { outputHash = "a9993e364706816aba3e25717850c26c9cd0d89d"; outputHashAlgo = "sha1"; outputHashMode = "recursive"; }
    { outputHash = "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0="; }
    { outputHash = builtins.hashString "md5" "abc"; outputHashAlgo = "md5"; }
    { outputHash = builtins.hashString "sha512" "abc"; outputHashAlgo = "sha512"; }
    { outputHash = builtins.hashString "sha512" "abc"; outputHashAlgo = "sha512"; outputHashMode = "recursive"; }
  ];
in map (c: let d = fo c; in [ d.drvPath d.outPath ]) cases
