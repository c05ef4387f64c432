# a high surrogate followed by another high one
builtins.fromJSON "\"\\ud83d\\ud83d\""
