with { x = 1; y = 2; }; let inherit x; z = y; in [ x z ]
