a: [ (a.b or 1) (a.b.c or a.d.e) (a.x or a.y or 1) ]
