# modern CppNix says "while parsing TOML:" (Nix 2.8: "while parsing a TOML string:")
builtins.fromTOML "a = 1979-05-27T07:32:00Z"
