let x = 1; inherit ({ y = 2; }) y; in x + y
