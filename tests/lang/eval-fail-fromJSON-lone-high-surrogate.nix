# a high surrogate not followed by \u and a low one
builtins.fromJSON "\"\\ud83dx\""
