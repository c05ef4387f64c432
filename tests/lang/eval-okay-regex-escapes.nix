# The escapes std::regex (extended syntax) accepts outside brackets, and a
# backslash inside brackets (an ordinary character), as glibc reads them.
[
  (builtins.match "\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\{\\|" "^$\\.*+?()[{|")
  (builtins.match "[\\d]+" "d\\d")
  (builtins.match "[[:alpha:]\\]+" "ab\\")
  (builtins.split "[{,]" "a{b,c")
  (builtins.match "a}]" "a}]")
]
