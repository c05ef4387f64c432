let or = 1; in [ or ]
