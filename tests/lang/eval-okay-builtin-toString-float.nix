# toString of a float uses 6 decimals (std::to_string), unlike printing
[ (builtins.toString 1.5) (toString 0.25) ]
