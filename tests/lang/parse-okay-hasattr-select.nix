a: [ (a.b ? c) (a.b or 1 ? c) ]
