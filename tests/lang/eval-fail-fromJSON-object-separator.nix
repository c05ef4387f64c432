# a missing ':' after a key
builtins.fromJSON "{\"a\" 1}"
