# a fromJSON error
builtins.fromJSON "ï»{}"
