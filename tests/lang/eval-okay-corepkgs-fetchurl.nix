# Nix's built-in fetchurl.nix (what <nix/fetchurl.nix> resolves to).
let
  fetchurl = import /__corepkgs__/fetchurl.nix;
  a = fetchurl { url = "http://example.org/src-1.0.tar.gz"; sha256 = "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"; };
  b = fetchurl { url = "http://example.org/tool"; hash = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; executable = true; };
  c = fetchurl { url = "http://example.org/x.zip"; sha1 = "a9993e364706816aba3e25717850c26c9cd0d89d"; unpack = true; name = "x"; };
in map (d: [ d.drvPath d.outPath ]) [ a b c ]
