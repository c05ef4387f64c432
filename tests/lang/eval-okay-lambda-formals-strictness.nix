# the argument set is forced, but not its attributes
({ a, b }: a) { a = 1; b = throw "not forced"; }
