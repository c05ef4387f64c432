# __structuredAttrs: phase one forces each attribute deep (a set with an
# outPath only through it) with its walk kept across the forces, then
# prints it as JSON.  Thunks at every level, a value shared by two
# attributes and twice in one list, a derivation inside a list.
let
  dep = derivation { name = "dep"; system = "x86_64-linux"; builder = "/bin/sh"; };
  shared = builtins.genList (i: { n = i * 2; s = toString i; }) 5;
  d = derivation {
    name = "structured-lazy";
    system = "x86_64-linux";
    builder = "/bin/sh";
    __structuredAttrs = true;
    nested = { a = [ (1 + 1) [ (toString 3) { b = builtins.head [ "4" ]; } ] ]; c = shared; };
    again = [ shared shared dep (builtins.concatLists [ [ dep.outPath ] [ null ] ]) ];
    withOutPath = { outPath = "x" + "y"; ignored = throw "not forced"; };
  };
in [ d.drvPath d.outPath ]
