# modern CppNix: fromJSON cannot make a string with a NUL byte; Nix 2.8
# cut it at the NUL
builtins.fromJSON "[ \"x\\u0000y\" ]"
