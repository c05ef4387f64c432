# String contexts: what each operation keeps, and the context builtins.
let
  d = derivation { name = "ctx"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "dev" ]; };
  t = builtins.toFile "t" "text";
  ctx = builtins.getContext;
in {
  interp = ctx "${d} ${d.dev} ${t}";
  drvPath = ctx d.drvPath;
  plus = ctx (d.outPath + "/bin");
  substring = ctx (builtins.substring 0 4 "${d}");
  substringPastEnd = ctx (builtins.substring 100 4 "${d}");
  concatSep = ctx (builtins.concatStringsSep "${t}" [ "a" "${d.dev}" ]);
  replaceUsed = ctx (builtins.replaceStrings [ "a" ] [ "${t}" ] "bab");
  replaceUnused = ctx (builtins.replaceStrings [ "z" ] [ "${t}" ] "bab");
  toString = ctx (toString [ d 1 "x" ]);
  toJSON = ctx (builtins.toJSON { a = d; b = [ t ]; });
  baseName = ctx (baseNameOf "${d}/bin/x");
  dirName = ctx (dirOf "${d}/bin/x");
  has = [ (builtins.hasContext "${d}") (builtins.hasContext "plain") ];
  discarded = builtins.hasContext (builtins.unsafeDiscardStringContext "${d}");
  discardOutput = ctx (builtins.unsafeDiscardOutputDependency d.drvPath);
  append = ctx (builtins.appendContext "x" {
    "${builtins.unsafeDiscardStringContext d.drvPath}" = { outputs = [ "out" "dev" ]; allOutputs = true; };
    "${builtins.unsafeDiscardStringContext t}" = { path = true; };
  });
  equalIgnoresContext = "${d}" == builtins.unsafeDiscardStringContext "${d}";
  placeholder = [ (builtins.placeholder "out") (builtins.placeholder "dev") ];
  storePath = ctx (builtins.storePath "${builtins.storeDir}/ffffffffffffffffffffffffffffffff-x");
  toFileRefs = t + "" == builtins.toFile "t" "text";
  toFileWithRef = builtins.toFile "u" "see ${t}";
}
