# a missing ',' or ']' in an array
builtins.fromJSON "[1 2]"
