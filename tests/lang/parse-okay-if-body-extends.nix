a: b: c: if a then b else c + 1 || b
