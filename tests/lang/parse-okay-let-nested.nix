let foo1 = 1; in let foo1 = 2; bar2 = foo1; in bar2
