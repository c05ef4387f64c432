map: l: [ (map (x: x) l) (map (x: y: x) l) ]
