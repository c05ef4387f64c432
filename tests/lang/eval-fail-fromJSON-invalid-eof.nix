# invalid JSON: the message is nlohmann::json's (CppNix 2.8 and modern)
builtins.fromJSON "[1,"
