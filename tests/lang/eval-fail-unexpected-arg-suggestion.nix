({ alpha, beta }: alpha) { alpha = 1; beta = 2; betta = 3; }
