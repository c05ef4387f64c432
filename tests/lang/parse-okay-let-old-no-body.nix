let { alpha = 1; }
