# --show-trace: a failing assertion at the top of an imported file gives
# the file's entry (no position) under the import builtin's; the error
# tryEval caught on the way leaves nothing behind.  Nix 2.8 prints traces
# differently.
let
  ok = builtins.tryEval (throw "caught");
in
if ok.success then 0 else import ./eval-import-trace.nix
