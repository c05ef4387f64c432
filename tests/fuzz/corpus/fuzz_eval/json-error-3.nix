# a fromJSON error
builtins.fromJSON "\"a\tb\\x\""
