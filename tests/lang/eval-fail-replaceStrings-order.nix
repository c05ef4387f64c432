# The `from` strings are forced before the subject string (both versions).
builtins.replaceStrings [ "a" (throw "from first") ] [ "x" "y" ] (throw "subject later")
