a: a.b or c: c
