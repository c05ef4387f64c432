# --show-trace: an error inside the condition of an `if` that is itself a
# condition gets both "while evaluating a branch condition" entries, the
# outer one first.  Nix 2.8 prints traces differently.
let
  v = { enabled = throw "unset"; };
in
if (if v.enabled then true else false) then 1 else 2
