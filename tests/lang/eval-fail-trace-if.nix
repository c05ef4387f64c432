# --show-trace: errors while evaluating an `if` condition get "while
# evaluating a branch condition" at the condition (modern CppNix's
# evalBool); a condition that is not a Boolean is reported at the condition, not at the
# `if` (Nix 2.8 reports it at the `if`).
# Nix 2.8 prints traces differently.
let
  check = v:
    if (if v.enabled then v.level else false)
    then "on"
    else "off";
in
check { enabled = true; level = 3; }
