# traceVerbose and warn are newer than Nix 2.8; checked against modern CppNix.
# traceVerbose without --trace-verbose does not even force its message;
# warn prints to stderr and returns its second argument; break is the
# identity without a debugger; addErrorContext returns its value.
[
  (builtins.traceVerbose (throw "not forced") 1)
  (builtins.warn "a warning" 2)
  (builtins.break (1 + 2))
  (builtins.addErrorContext "context" [ 4 ])
]
