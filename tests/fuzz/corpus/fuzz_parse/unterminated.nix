{ a = "x
