abort "y"
