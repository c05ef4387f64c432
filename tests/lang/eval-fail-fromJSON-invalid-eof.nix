# invalid JSON: the message is nlohmann::json's (CppNix 2.8 and modern; 2.8
# then prints "(use '--show-trace' to show detailed location information)")
builtins.fromJSON "[1,"
