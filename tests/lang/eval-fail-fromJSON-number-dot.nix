# a decimal point without digits after it
builtins.fromJSON "1."
