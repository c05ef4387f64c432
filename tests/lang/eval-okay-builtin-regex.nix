# builtins.match (whole string, capture groups, null for groups that do not
# take part) and builtins.split (text between matches, captures as lists,
# empty matches advance by one character).
[
  (builtins.match "a(b)?(c)" "ac")
  (builtins.match "ab" "xab")
  (builtins.match "([a-z]+)-([0-9.]+)" "hello-1.2.3")
  (builtins.match ".*" "")
  (builtins.split "(a)b" "xaby")
  (builtins.split "a*" "xyz")
  (builtins.split "," "a,b,,c")
  (builtins.split "(,)|(;)" "a,b;c")
  (builtins.split "x*" "")
  (builtins.split "^a" "aaa")
  (builtins.split "[[:space:]]+" " two  words ")
]
