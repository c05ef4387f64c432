# libstdc++ builds 1,000,000 states for a{1000}{1000} (a thousand copies of
# a thousand copies): past its limit of 100000, which CppNix reports as
# "memory limit exceeded".
builtins.match "a{1000}{1000}" "a"
