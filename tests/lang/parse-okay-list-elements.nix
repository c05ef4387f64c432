f: a: [ f a a.b (f a) "s" ./p 1 1.5 { } [ ] (x: x) <n> (a.b or 2) ]
