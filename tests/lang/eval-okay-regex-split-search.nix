# split takes the matches std::sregex_iterator finds (values checked
# against nix-instantiate 2.8): a search takes the first start position
# with a match and there libstdc++'s match, which need not be glibc's
# leftmost-longest one; after an empty match a non-empty one at the same
# place is tried first, then the search goes on one character later; ^
# holds only at the start of the string.
[
  (builtins.split "(a*$)*" "baa")
  (builtins.split "|(b*)|" "bbaaaa")
  (builtins.split "(a+|^b)+|(a{1,})?" "babab")
  (builtins.split "(|b){2}" "ababba")
  (builtins.split "(^(b){0,}){2,2}" "babab")
  (builtins.split "(a*(bb{2,4}|(ba{0}[^a]|ab?*|^b{0,}b)?)b)?" "abbab")
  (builtins.split "|a{0,1}()?|a[^a]?" "abbab")
  (builtins.split "($)*|a*" "abbaa")
  (builtins.split "|(()(b?(ba*b+)+|)+)()|a" "abaa")
  (builtins.split "b{2,}b|()|b{0,2}(.((b*ab+)b)|bb|(.a)**[^a]*()**){0,2}b{0,}" "bbaba")
  (builtins.split "(a|ab)" "abc")
  (builtins.split "a*" "baab")
  (builtins.split "(a|b)*" "abcab")
  (builtins.split "([0-9]+)|([a-z]+)" "ab12cd3")
  (builtins.split "(^|/)x" "x/y/x")
  (builtins.split "[ ]*" "a b  c")
]
