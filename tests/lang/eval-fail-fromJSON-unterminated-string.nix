# end of input inside a string: the column counts the end once
builtins.fromJSON "[\"abc"
