x: assert x x
