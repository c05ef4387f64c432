# toString of a list coerces each element (coerceToString, coerceMore):
# "while evaluating one element of the list" per list level, inside the
# argument's context, the error without position (modern CppNix, reasoned
# from eval.cc 2.35.2; Nix 2.8 reports the same error without entries).
builtins.toString [ 1 [ "a" { } ] ]
