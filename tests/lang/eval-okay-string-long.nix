let s = builtins.concatStringsSep "" (builtins.genList (i: "ab") 5000); in [ (builtins.stringLength s) (builtins.substring 4990 20 s) ]
