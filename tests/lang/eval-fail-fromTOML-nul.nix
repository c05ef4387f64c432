# modern CppNix refuses NUL bytes (Nix 2.8 cut the string there)
builtins.fromTOML "x = \"a\\u0000b\""
