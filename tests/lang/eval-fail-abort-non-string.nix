# abort coerces its message with coerceToString (modern CppNix's entry:
# "while evaluating the error message passed to builtins.abort").
abort [ "a" ]
