let s = { ab = 1; }; p = "a"; in [ (s ? ${p + "b"}) (s ? "${p}c") ]
