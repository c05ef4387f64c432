# glibc's regcomp takes \w as a GNU extension; CppNix's std::regex
# (extended syntax) rejects a backslash before an ordinary character.
builtins.match "\\w+" "abc"
