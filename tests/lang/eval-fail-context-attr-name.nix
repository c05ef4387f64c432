# An attribute name may not carry a string context (forceStringNoCtx);
# the message is modern Nix's (2.8 printed the context element encoded).
let d = derivation { name = "ctx"; builder = "/bin/sh"; system = "x86_64-linux"; };
in { "${d}" = 1; }
