x: with x x
