# a second value after the first
builtins.fromJSON "[] {}"
