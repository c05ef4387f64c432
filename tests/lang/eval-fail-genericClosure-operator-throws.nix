# Modern CppNix (2.35) runs the operator call under "while calling operator
# on genericClosure element E" (E printed as in error messages); Nix 2.8
# has no such entry.  Reasoned from primops.cc (2.35.2).
builtins.genericClosure { startSet = [ { key = 1; n = [ 1 2 ]; } ]; operator = x: throw "no ${toString x.key}"; }
