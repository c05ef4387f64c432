# a missing ',' or '}' in an object
builtins.fromJSON "{\"a\": 1 \"b\": 2}"
