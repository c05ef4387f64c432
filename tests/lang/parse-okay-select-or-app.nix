f: a: [ (f a.b or 1 2) (f a.b or a 2) ]
