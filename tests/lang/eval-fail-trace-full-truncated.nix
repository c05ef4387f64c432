# --show-trace: the whole trace of eval-fail-trace-default-truncated,
# with the lambda call entries CppNix adds only under --show-trace (Nix
# 2.8 prints traces differently).
let
  check = x: if x > 1 then x else builtins.substring 0 (throw "no length") "abc";
in
assert check 0 == "a"; 1
