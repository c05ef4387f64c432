# a fromJSON error
builtins.fromJSON "[1e400]"
