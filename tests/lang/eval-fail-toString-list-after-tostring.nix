# A set that cannot be coerced, after elements that had to be forced and
# a __toString result (a list) inside the list: one "one element of the
# list" entry per list level, the argument's outside them, the error
# without a position (modern CppNix; Nix 2.8 gives the same error
# without entries).
let tos = v: { __toString = self: v; }; in
toString [ (tos "x") (builtins.head [ [ (tos [ 1 ]) { } ] ]) ]
