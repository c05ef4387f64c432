# The result of a __toString inside a list is coerced in the set's place
# (CppNix's tryAttrsToString); when that fails, the entry is the one for
# the result of __toString (modern CppNix; Nix 2.8: the same error).
let tos = v: { __toString = self: v; }; in
toString [ "a" (tos (x: x)) ]
