# --show-trace: addErrorContext's message is a trace entry without a
# position, and addErrorContext itself adds no "while calling" entry
# (modern CppNix: .addTrace = false).  Nix 2.8 prints it differently.
let
  g = { v }: builtins.addErrorContext "while checking ${v}" (throw "bad ${v}");
in
g { v = "it"; }
