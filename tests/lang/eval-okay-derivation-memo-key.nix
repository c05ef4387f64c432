# The derivation memo's key (vm/store/drv.c): each derivation below is
# made twice, and those that differ in one thing only (a fixed-output
# derivation's url, name, hash or hash mode, an output's name, the value
# of an input, __structuredAttrs) must keep their own .drv and output
# paths.  A key that left one of these out (or the memo of fixed-output
# paths in vm/store/path.c) would hand back an earlier one's paths.
let
  base = { builder = "/bin/sh"; system = "x86_64-linux"; };
  fetch = mode: url: derivation (base // {
    name = "src";
    outputHashMode = mode;
    outputHashAlgo = "sha256";
    outputHash = "1111111111111111111111111111111111111111111111111111111111111111";
    inherit url;
  });
  use = outputs: src: derivation (base // { name = "user"; inherit outputs src; });
  paths = d: [ d.drvPath ] ++ map (o: d.${o}.outPath) (d.outputs or [ "out" ]);
  twice = f: let x = paths (f null); y = paths (f null); in if x == y then x else throw "memo gave other paths";
  fixedAs = name: mode: hash: derivation (base // {
    inherit name;
    outputHashMode = mode;
    outputHashAlgo = "sha256";
    outputHash = hash;
  });
  h1 = "1111111111111111111111111111111111111111111111111111111111111111";
  h2 = "2222222222222222222222222222222222222222222222222222222222222222";
  structured = s: derivation (base // { name = "st"; __structuredAttrs = s; v = [ 1 ]; });
in {
  fixed = map (u: twice (_: fetch "flat" u)) [ "http://a" "http://b" ];
  fixedMode = twice (_: fetch "recursive" "http://a");
  fixedPaths = map (a: twice (_: fixedAs a.n a.m a.h)) [
    { n = "p"; m = "flat"; h = h1; } { n = "q"; m = "flat"; h = h1; } { n = "p"; m = "flat"; h = h2; }
    { n = "p"; m = "recursive"; h = h1; } { n = "p"; m = "recursive"; h = h2; } { n = "q"; m = "recursive"; h = h1; }
  ];
  outputs = map (os: twice (_: use os "s")) [ [ "out" "dev" ] [ "out" "lib" ] [ "lib" "out" ] ];
  inputs = map (u: twice (_: use [ "out" ] (fetch "flat" u))) [ "http://a" "http://b" ];
  structured = map (s: twice (_: structured s)) [ true false ];
}
