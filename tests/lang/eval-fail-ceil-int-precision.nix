# modern CppNix reports an integer that does not survive the conversion to
# a double (Nix 2.8 silently returned 9007199254740992)
builtins.ceil 9007199254740993
