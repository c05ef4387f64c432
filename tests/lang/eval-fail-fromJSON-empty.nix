# modern CppNix (nlohmann::json 3.11.3 and later): an empty input has its own
# message; Nix 2.8 says "unexpected end of input; expected '[', '{', or a
# literal" at column 1
builtins.fromJSON ""
