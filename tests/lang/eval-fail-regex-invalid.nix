# an invalid regular expression is an error at the call
builtins.match "(" "x"
