# A bound without a minimum: glibc reads {,2} as {0,2}, std::regex rejects it.
builtins.split "a{,2}" "aaa"
