# a character that starts no token
builtins.fromJSON "  @"
