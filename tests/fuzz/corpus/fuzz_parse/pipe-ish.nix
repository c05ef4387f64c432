a: b: a b c.d (e f)
