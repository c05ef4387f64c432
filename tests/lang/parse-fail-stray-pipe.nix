a: b: a | b
