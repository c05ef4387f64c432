# a low surrogate first
builtins.fromJSON "\"\\ude00\""
