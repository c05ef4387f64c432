# errorPrintOptions' maxStringLength (1024): a longer string prints its first
# 1024 bytes (an escape counts as one) and "«N bytes elided»" after the
# closing quote.  Reasoned from CppNix 2.35's print.cc (Nix 2.8 prints no
# value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
builtins.length ("\n" + builtins.concatStringsSep "" (builtins.genList (i: "0123456789") 103) + "\"")
