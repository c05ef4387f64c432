# a float out of the range of double (nlohmann::json's message)
builtins.fromJSON "1e400"
