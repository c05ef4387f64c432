# a byte-order mark cut short (raw 0xEF 0xBB)
builtins.fromJSON "ï»1"
