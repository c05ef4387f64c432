x: x = 1
