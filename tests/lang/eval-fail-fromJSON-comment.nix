# JSON has no comments (modern CppNix's fromJSON parses strictly)
builtins.fromJSON "/* c */ 1"
