# The same derivation and the same text file made more than once, and
# derivations that differ only in which fixed-output input they use (the
# same output hash, so the same hashDerivationModulo): equal ones share
# their paths, the others keep their own .drv paths.
let
  fetch = url: derivation {
    name = "src";
    builder = "/bin/sh";
    system = "x86_64-linux";
    outputHashMode = "flat";
    outputHashAlgo = "sha256";
    outputHash = "0000000000000000000000000000000000000000000000000000000000000000";
    inherit url;
  };
  use = src: extra: derivation {
    name = "user";
    builder = "/bin/sh";
    system = "x86_64-linux";
    outputs = [ "out" "dev" ];
    inherit src extra;
  };
  a = use (fetch "http://a") "x";
  a2 = use (fetch "http://a") "x";
  b = use (fetch "http://b") "x";
  c = use (fetch "http://a") "y";
  f1 = builtins.toFile "f" "hello";
  f2 = builtins.toFile "f" "hello";
  g = builtins.toFile "g" "hello";
  h1 = builtins.toFile "h" "see ${f1}";
  h2 = builtins.toFile "h" "see ${builtins.unsafeDiscardStringContext f1}";
in {
  fixedSameOut = (fetch "http://a").outPath == (fetch "http://b").outPath;
  sameDrv = a.drvPath == a2.drvPath && a.outPath == a2.outPath && a.dev.outPath == a2.dev.outPath;
  otherInput = [ a.drvPath b.drvPath ];
  otherInputSameOut = a.outPath == b.outPath && a.dev.outPath == b.dev.outPath;
  otherAttr = [ c.drvPath c.outPath c.dev.outPath ];
  texts = [ f1 f2 g h1 h2 ];
  textRefs = [ (builtins.getContext h1) (builtins.getContext h2) ];
}
