# --show-trace: a missing attribute is raised without a position, under
# the selection's entry, which names the whole path (modern CppNix's
# ExprSelect::eval), with the suggestion after it.  Without
# --show-trace nixe keeps the position on the error, as Nix 2.8.  Nix 2.8
# prints traces differently.
let
  pkgs = { hello = { version = 1; }; };
in
pkgs.hello.versoin
