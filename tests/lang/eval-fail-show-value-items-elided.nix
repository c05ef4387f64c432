# errorPrintOptions' maxListItems (10), shared by all the lists of the
# rendering: the outer list's third element is cut.  Attributes have
# their own counter.  Reasoned from CppNix 2.35's print.cc (Nix 2.8 prints
# no value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let v = [ [ 1 2 3 4 5 6 7 ] { a = [ 8 ]; } [ 9 10 11 ] 12 13 ]; in builtins.deepSeq v (builtins.attrNames v)
