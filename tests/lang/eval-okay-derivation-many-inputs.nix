# A derivation with many input derivations, several outputs each, met in
# no particular order: every input and output is in the .drv (its path
# hashes the whole text).
let
  dep = i: derivation { name = "dep${toString i}"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "dev" "lib" ]; };
  deps = builtins.genList dep 11;
  refs = builtins.concatLists (builtins.genList (i: let d = builtins.elemAt deps (builtins.bitXor (i * 7) 5 - (builtins.bitXor (i * 7) 5) / 11 * 11); in
    [ "${d}" "${d.dev}" (if i / 2 * 2 == i then "${d.lib}" else "${d}") ]) 11);
  top = derivation { name = "top"; builder = "/bin/sh"; system = "x86_64-linux"; refs = refs; again = map (d: "${d.lib}") deps; };
in [ top.drvPath (builtins.length refs) ]
