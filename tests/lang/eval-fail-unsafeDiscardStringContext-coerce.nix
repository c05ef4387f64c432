# A value coerceToString refuses: the error names the argument, as
# CppNix's "while evaluating the argument passed to …".
builtins.unsafeDiscardStringContext [ "a" ]
