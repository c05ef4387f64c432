# '-' without digits
builtins.fromJSON "[-x]"
