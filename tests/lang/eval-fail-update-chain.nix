# A chain a // b // c is flattened by CppNix 2.35: each leaf gets its own
# "left"/"right" entry (the nested `//` none), at the leaf's position.
# Reasoned from eval.cc (2.35.2); Nix 2.8 prints no entry.
let x = 3; in { } // x // { }
