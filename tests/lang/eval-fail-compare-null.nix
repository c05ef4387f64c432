# CppNix 2.33+ ends the message with the two values ("; values are A and B"); Nix 2.8 does not
null >= null
