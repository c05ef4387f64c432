# modern CppNix: an object key holding a NUL byte cannot be a Nix string
# either (forceNoNullByte on keys); Nix 2.8 cut the key at the NUL
builtins.fromJSON "{\"a\\u0000b\": 1}"
