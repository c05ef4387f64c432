# a raw newline in a string: the line count goes up, the column restarts
builtins.fromJSON "\"a
b\""
