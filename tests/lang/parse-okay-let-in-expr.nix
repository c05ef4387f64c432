x: [ (let y = x; in y) (1 + (let z = 2; in z)) ]
