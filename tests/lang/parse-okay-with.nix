a: b: c: [ (with a; b) (with a; with b; c) (with a; b c) (with { x = 1; }; x) ]
