# Without --show-trace modern CppNix still prints the first entries of the
# trace (showErrorInfo): entries until a count of 3 is passed, an entry
# with a position counting twice, then "(stack trace truncated; …)".
# Lambda calls add no entry without --show-trace (callFunction).  Same
# program as eval-fail-trace-full-truncated, which shows the whole trace.
# Nix 2.8 prints no trace without --show-trace.
let
  check = x: if x > 1 then x else builtins.substring 0 (throw "no length") "abc";
in
assert check 0 == "a"; 1
