# builtins.match first asks "^(pattern)$" compiled without submatches
# whether the whole string matches; these cases cover top-level
# alternation, anchors inside the pattern, empty patterns and groups that
# do not take part, with strings that match only in part.
let
  pats = [ "a|b" "a|bc" "(a|b)c" "^a" "a$" "^a$" "" "()" "(a)|(b)" "(a|ab)(c|bcd)(d*)" ".*" "[0-9]+" "x?" "(x)?y" "a{2,3}" "(ab){1,2}c" ];
  strs = [ "" "a" "b" "bc" "ac" "abcd" "aa" "aaa" "aaaa" "123" "12a" "y" "xy" "ababc" "abc" ];
in map (p: map (s: builtins.match p s) strs) pats
