# a fromJSON error
builtins.fromJSON "[01, 1e, -, 1.]"
