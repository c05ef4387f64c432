x: x.a.
