# a fromJSON error
builtins.fromJSON ""
