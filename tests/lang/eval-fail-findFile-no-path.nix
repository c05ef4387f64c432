# Modern CppNix: "attribute 'path' missing" (getAttr); Nix 2.8 added "for call to 'findFile'".
builtins.findFile [ { prefix = "x"; } ] "x"
