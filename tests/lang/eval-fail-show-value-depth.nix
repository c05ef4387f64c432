# errorPrintOptions' maxDepth (10): sets and lists nested deeper print as
# "{ ... }" and "[ ... ]", empty ones included.  Reasoned from CppNix 2.35's
# print.cc (Nix 2.8 prints no value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let v = { a = { b = { c = { d = { e = { f = { g = { h = { i = [ [ { } ] [ ] ]; }; }; }; }; }; }; }; }; }; in builtins.deepSeq v (builtins.length v)
