x: [ x:x (y: y) ]
