a: b: c: [ (a && b) (a || b) (a -> b) (! a) (a && b || c) (a || b && c) ]
