# `x ? ${e}`: the name is forced with forceStringNoCtx under "while
# evaluating an attribute name" at the name's expression, the error keeping
# that position (modern CppNix; Nix 2.8 has no entry).
let e = null; in { } ? ${e}
