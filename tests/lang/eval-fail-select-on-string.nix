"abc".x
