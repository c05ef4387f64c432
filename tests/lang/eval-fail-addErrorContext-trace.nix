# addErrorContext messages are printed above the error, outermost first,
# even without --show-trace (modern CppNix's TracePrint::Always; Nix 2.8
# prints them below the message only with --show-trace); they are kept
# when the short trace is truncated, and count like entries without a
# position ("while calling the 'abort' builtin" is left out here).
#
let
  name = "x";
  inner = builtins.addErrorContext "while checking `${name}'\nsecond line" (abort "stop");
in
builtins.tryEval (builtins.addErrorContext "while evaluating the outer value" inner)
