# only whitespace
builtins.fromJSON " \n "
