# a CR is an ordinary byte for the column count
builtins.fromJSON "{\r\n\"a\": nul }"
