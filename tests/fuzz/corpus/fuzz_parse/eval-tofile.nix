builtins.toFile "a.txt" "hello ${toString 1}"
