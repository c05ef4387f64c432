# Long environment values in the ATerm text: scripts full of escapes, long
# runs without any, escapes right after a long run; and store paths whose
# fingerprint is long (a text path with many references, a derivation
# with many inputs).
let
  script = builtins.concatStringsSep "" (builtins.genList
    (i: "line ${toString i} of a script with \"quotes\", a \\ and\ttabs\r\n") 200);
  run = builtins.concatStringsSep "" (builtins.genList (i: "abcdefghij") 50);
  files = builtins.genList (i: builtins.toFile "f${toString i}" "file ${toString i}") 8;
  many = builtins.toFile "many" (builtins.concatStringsSep "\n" files);
  d = derivation {
    name = "long-env";
    builder = "/bin/sh";
    system = "x86_64-linux";
    outputs = [ "out" "doc" ];
    inherit script run many;
    mixed = run + "\n" + builtins.substring 0 33 run + "\"" + builtins.substring 0 65 run + "\\";
    srcs = files;
  };
  dep = derivation {
    name = "dep";
    builder = "/bin/sh";
    system = "x86_64-linux";
    inputs = [ d d.doc script ];
  };
in [ d.drvPath d.outPath d.doc.outPath many dep.drvPath ]
