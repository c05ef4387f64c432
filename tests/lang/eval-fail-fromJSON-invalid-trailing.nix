# invalid JSON: text after the value
builtins.fromJSON "{\"a\":1} x"
