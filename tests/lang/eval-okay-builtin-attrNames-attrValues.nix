let s = { b = 2; a = 1; c = 3; "B" = 4; }; in [ (builtins.attrNames s) (builtins.attrValues s) (builtins.attrNames { }) ]
