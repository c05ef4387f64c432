# Values inside error messages follow modern CppNix's errorPrintOptions
# (print-options.hh): at most 10 attributes in the whole rendering, the rest
# of a set "«N attributes elided»".  Nix 2.8 prints no value here; this
# expectation is reasoned from print.cc (2.35), not observed.
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let v = { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; i = 9; j = 10; k = 11; l = 12; }; in builtins.deepSeq v (builtins.length v)
