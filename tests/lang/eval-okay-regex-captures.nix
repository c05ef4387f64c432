# Captures as CppNix's std::regex (libstdc++'s depth-first executor) takes
# them, where glibc's POSIX matcher gave others (values checked against
# nix-instantiate 2.8).  Alternatives: both branches are tried, the first
# match ending furthest wins; a greedy repetition enters its body first and
# skips its exit once a match was found; a body matching empty is entered
# at most twice at one position; groups keep the values of the winning
# path, also from earlier iterations.
[
  (builtins.match "((a*)*b)*" "aabb")
  (builtins.match "|(b*)|" "")
  (builtins.match "(|b){2}" "b")
  (builtins.match "^(|a(|(a?)+([ab]{0,}a*a)a+|)|)(^a{1}((a+|aa{0}|)|(ab{1,})?(a+))|.)" "aaaa")
  (builtins.match "(a*((a){1}(ba)?(a[ab]*b){2,}){2,3}*)a?$|(b?.*)|" "aa")
  (builtins.match "b(((b*|[ab][ab]+)*|b*([ab]+|a?|a?)(a{1,}ab)*)+)*" "bbaaabb")
  (builtins.match "(|.{0,}(a+*|[^a][ab]a{1,1}|a?(a){0,0}$)(^^a++||)*)(.{0,2}b?){2,3}|" "aabb")
  (builtins.match "($)*|a*" "")
  (builtins.match "|()?" "")
  (builtins.match "b$(|b{0,}b*()?*)*" "b")
  # Usual patterns: unchanged.
  (builtins.match "([^-]*)-([0-9.]*)(.*)" "foo-1.2pre")
  (builtins.match "(.*)/(.*)" "a/b/c")
  (builtins.match "((a)|(b))*" "ab")
  (builtins.match "(a|ab)(c|bcd)(d*)" "abcd")
]
