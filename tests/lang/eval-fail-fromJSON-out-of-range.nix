# an unsigned JSON number beyond the signed 64-bit range is an error
# (modern CppNix raises it without a position: "while calling the 'fromJSON'
# builtin" under --show-trace has the call)
builtins.fromJSON "9223372036854775808"
