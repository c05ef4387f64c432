# builtins.convertHash (newer than Nix 2.8: the .exp was checked with
# `nix hash to-base16/to-base32/to-base64/to-sri` of Nix 2.8).
let
  h = builtins.hashString "sha256" "abc";
  conv = hash: map (toHashFormat: builtins.convertHash { inherit hash toHashFormat; hashAlgo = "sha256"; })
    [ "base16" "nix32" "base32" "base64" "sri" ];
in {
  fromBase16 = conv h;
  fromNix32 = conv "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s";
  fromBase64 = conv "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
  fromSri = builtins.convertHash { hash = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; toHashFormat = "base16"; };
  prefixed = builtins.convertHash { hash = "sha1:a9993e364706816aba3e25717850c26c9cd0d89d"; toHashFormat = "sri"; };
  md5 = builtins.convertHash { hash = builtins.hashString "md5" "abc"; hashAlgo = "md5"; toHashFormat = "nix32"; };
  sha512 = builtins.convertHash { hash = builtins.hashString "sha512" "abc"; hashAlgo = "sha512"; toHashFormat = "sri"; };
}
