# an exponent sign without digits
builtins.fromJSON "1E+"
