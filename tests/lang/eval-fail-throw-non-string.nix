# throw coerces its message with coerceToString: an integer cannot be
# coerced ("cannot coerce", as Nix 2.8 says too), under "while evaluating
# the error message passed to builtin.throw" (sic) in modern CppNix.
throw 1
