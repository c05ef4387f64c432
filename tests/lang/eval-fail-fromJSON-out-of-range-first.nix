# the parser hands values to CppNix as it reads them, so an integer out of
# range is reported before a later syntax error (Nix 2.8 wrapped the integer
# around and reported the syntax error)
builtins.fromJSON "[9223372036854775808, x]"
