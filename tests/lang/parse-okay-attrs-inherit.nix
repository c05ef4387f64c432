a: b: { inherit a b; c = 1; inherit; }
