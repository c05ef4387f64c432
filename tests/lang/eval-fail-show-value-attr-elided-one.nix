# errorPrintOptions' maxAttrs (10) counts the attributes of every set in the
# rendering (nested ones first); "«1 attribute elided»" is singular.
# Reasoned from CppNix 2.35's print.cc (Nix 2.8 prints no value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let v = { a = { x = 1; y = 2; z = 3; }; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; }; in builtins.deepSeq v (builtins.length v)
