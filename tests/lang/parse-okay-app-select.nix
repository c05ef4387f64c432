f: a: c: [ (f a.b c) (f a.b.c) (f a.b or c c) ]
