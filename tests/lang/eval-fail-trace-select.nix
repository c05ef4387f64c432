# --show-trace: forcing `x.a.b` names the whole path at the selection.
# The thunk `y` that builtins.length forces gets no entry of its own
# (CppNix's forceList adds its context only to its own type error).  Nix
# 2.8 prints traces differently.
let
  x = { a.b = builtins.length y; };
  y = throw "not a list";
in
x.a.b
