builtins.trace "loaded" { n = 1; }
