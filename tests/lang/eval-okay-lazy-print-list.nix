[ (1 + 1) (throw "not forced") 3 "s" ]
