# modern CppNix refuses a float outside the integer range (Nix 2.8 gave
# -9223372036854775808)
builtins.floor 1.0e30
