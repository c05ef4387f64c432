a: a ^ 2
