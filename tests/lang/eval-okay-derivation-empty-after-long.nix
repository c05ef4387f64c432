# Every attribute's string goes into the derivation on its own: an empty
# value (or argument) after a long one stays empty, a long one after a
# short one is whole (the drvPath hashes the whole ATerm text).
let
  long = builtins.concatStringsSep "\n" (builtins.genList (i: "line ${toString i} \"quoted\" \\ tab\t") 200);
  d = derivation {
    name = "empty-after-long";
    builder = "/bin/sh";
    system = "x86_64-linux";
    a = long;
    b = "";
    c = "short";
    d = long + long;
    e = null;
    f = [ "x" "" long "" ];
    g = false;
    args = [ long "" "-c" "" long ];
  };
in [ d.drvPath d.outPath (builtins.stringLength d.a) d.b ]
