# a 2-byte UTF-8 sequence cut short (raw 0xC3 before x)
builtins.fromJSON "\"Ãx\""
