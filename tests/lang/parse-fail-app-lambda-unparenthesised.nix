f: x: f x: x
