# a raw tab in a string: named, and shown as <U+0009> in 'last read'
builtins.fromJSON "[\"a	b\"]"
