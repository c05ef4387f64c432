x: y + z
