let x = 5; in assert x > 3; assert true; x * 2
