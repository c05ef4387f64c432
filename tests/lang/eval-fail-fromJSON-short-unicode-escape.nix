# \u with fewer than 4 hex digits
builtins.fromJSON "\"\\u12g4\""
