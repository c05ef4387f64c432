# a fromJSON error
builtins.fromJSON "[1,\n 2,\n tru]"
