# addErrorContext messages are printed above the error, outermost first,
# even without --show-trace (modern CppNix's TracePrint::Always; Nix 2.8
# prints them below the message only with --show-trace).  Modern Nix also
# prints its own "while calling"/"while evaluating" position traces, which
# nixe does not produce: this expected output is modern Nix's with those
# left out.
let
  name = "x";
  inner = builtins.addErrorContext "while checking `${name}'\nsecond line" (abort "stop");
in
builtins.tryEval (builtins.addErrorContext "while evaluating the outer value" inner)
