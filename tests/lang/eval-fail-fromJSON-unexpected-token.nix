# a token where a value must start
builtins.fromJSON "[1, ]"
