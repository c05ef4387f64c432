with { x = 1; y = 2; }; { inherit x y; z = 3; }
