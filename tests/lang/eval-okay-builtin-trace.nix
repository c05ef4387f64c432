# trace prints to stderr (not compared) and returns its second argument
builtins.trace "message" (builtins.trace { a = 1; } 42)
