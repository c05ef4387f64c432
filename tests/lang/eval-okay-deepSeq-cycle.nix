# deepSeq terminates on a cyclic value (each set and list is visited once)
let x = { inherit x; y = [ x 1 ]; }; in builtins.deepSeq x "done"
