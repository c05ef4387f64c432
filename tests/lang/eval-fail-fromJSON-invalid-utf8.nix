# a byte that starts no UTF-8 sequence (raw 0xFF in the string below)
builtins.fromJSON "[\"aÿb\"]"
