let l = builtins.genList (x: x * 2) 1000000; in [ (builtins.length l) (builtins.elemAt l 999999) (builtins.head l) ]
