# Path interpolation coerces its parts like strings: "while evaluating a
# path segment" at the `${`, the error without a position (modern CppNix;
# Nix 2.8 shows the error at the same `${` (observed) and no entry).
let d = { }; in ./dir/${d}
