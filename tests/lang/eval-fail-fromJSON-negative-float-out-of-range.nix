# a negative float beyond the range of double
builtins.fromJSON "[ -2e308 ]"
