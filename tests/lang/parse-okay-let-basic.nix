let alpha = 1; in alpha
