# toml11 3.7 (Debian) reports the error; modern CppNix says "while parsing TOML:"
builtins.fromTOML "[a]\nb = 1\n[a]\nc = 2\n"
