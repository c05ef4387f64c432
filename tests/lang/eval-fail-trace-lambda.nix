# --show-trace: a named lambda called from a let body; the trace is modern
# CppNix's (callFunction: "from call site", "while calling 'f'"; the throw
# builtin's "while calling" entry carries the position, the message has
# none).  Nix 2.8 prints this differently ("while evaluating 'f'" after
# the message, innermost first).
let
  f = x:
    throw "boom ${x}";
in
f "now"
