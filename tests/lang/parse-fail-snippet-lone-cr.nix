x: [ x  y ]
