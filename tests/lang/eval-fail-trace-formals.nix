# --show-trace: an argument that does not bind fails before the lambda's
# body runs: "from call site" but no "while calling" entry for `mk` (modern
# CppNix's callFunction).  Nix 2.8 prints traces differently.
let
  mk = { name, version }: "${name}-${version}";
  pkg = args: mk args;
in
pkg { name = "x"; }
