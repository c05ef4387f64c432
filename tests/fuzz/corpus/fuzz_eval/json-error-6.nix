# a fromJSON error
builtins.fromJSON "{\"k\\u0000\": 9223372036854775808}"
