a: [ (a.or or 1) (a.b.or or a.or) ]
