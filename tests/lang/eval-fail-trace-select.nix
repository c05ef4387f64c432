# --show-trace: forcing `x.a.b` names the whole path at the selection;
# forcing the builtin's strict argument names the argument.  Nix 2.8 prints
# traces differently.
let
  x = { a.b = builtins.length y; };
  y = throw "not a list";
in
x.a.b
