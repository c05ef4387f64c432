f: l: [ (f (x: x) l) (f (x: { inherit x; }) l) ((x: x) 1) ]
