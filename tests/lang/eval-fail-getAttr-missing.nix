builtins.getAttr "zzz" { a = 1; }
