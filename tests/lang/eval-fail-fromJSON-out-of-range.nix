# an unsigned JSON number beyond the signed 64-bit range is an error
builtins.fromJSON "9223372036854775808"
