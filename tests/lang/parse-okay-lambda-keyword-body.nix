x: [ (y: let z = y; in z) (y: with x; y) (y: assert x; y) (y: if x then y else x) ]
