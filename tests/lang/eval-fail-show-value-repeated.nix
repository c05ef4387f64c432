# errorPrintOptions track repeated values: a set or a non-empty list printed
# before in the same message is "«repeated»"; every empty set is CppNix's one
# shared Bindings object, so the second `{ }` repeats too.  Reasoned from
# CppNix 2.35's print.cc and attr-set.cc (Nix 2.8 prints no value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let s = { a = 1; }; l = [ 2 ]; v = [ s s l l { } { } [ ] [ ] ]; in builtins.deepSeq v (builtins.attrNames v)
