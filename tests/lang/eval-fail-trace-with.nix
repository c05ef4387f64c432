# A `with` whose expression is not a set: forceAttrs's error has no
# position, the entry "while evaluating the first subexpression of a with
# expression" is at the `with` (modern CppNix); Nix 2.8 reports the error
# at the `with`.
let
  cfg = [ 1 ];
in
with cfg; enable
