# an object key that is not a string
builtins.fromJSON "{1: 2}"
