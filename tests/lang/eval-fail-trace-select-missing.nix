# --show-trace: a missing attribute is raised without a position, under
# the selection's entry, which names the whole path (modern CppNix's
# ExprSelect::eval), with the suggestion after it, with or without
# --show-trace (Nix 2.8 keeps the position on the error and prints traces
# differently).
let
  pkgs = { hello = { version = 1; }; };
in
pkgs.hello.versoin
