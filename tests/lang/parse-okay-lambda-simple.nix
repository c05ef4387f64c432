[ (x: x) (x: y: x) (f: f 1) (a: b: c: a) ]
