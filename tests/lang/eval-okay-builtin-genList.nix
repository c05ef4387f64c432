[ (builtins.genList (x: x * x) 5) (builtins.genList (x: x) 0) (builtins.genList (i: "e${toString i}") 3) ]
