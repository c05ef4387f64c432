# an escape JSON does not have
builtins.fromJSON "\"a\\xb\""
