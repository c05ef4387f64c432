# a fromJSON error
builtins.fromJSON "\"a\\ud800\\ud800\""
