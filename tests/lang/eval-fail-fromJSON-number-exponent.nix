# an exponent without digits
builtins.fromJSON "1e"
