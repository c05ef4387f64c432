# An error while evaluating an assertion's condition: "in the condition of
# the assert statement" at the `assert` (modern CppNix's evalBool).  Nix
# 2.8 prints no trace without --show-trace.
let
  f = x: x.enable;
in
assert f { }; 1
