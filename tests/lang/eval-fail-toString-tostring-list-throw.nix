# An element failing inside a list that a __toString returned, inside a
# list: the entries of the outer list (the argument), the inner list (an
# element) and the __toString result's list (modern CppNix; Nix 2.8:
# "error: deep").
let tos = v: { __toString = self: v; }; in
toString [ 1 [ (tos [ 2 (throw "deep") ]) ] ]
