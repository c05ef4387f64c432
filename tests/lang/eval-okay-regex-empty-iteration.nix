# A group repeated without bound (*, +, {n,}) whose body can match the
# empty string where its last iteration ended: CppNix (libstdc++'s
# std::regex) captures a final empty iteration there, POSIX (glibc) keeps
# the last non-empty one.  Inner groups follow the first alternative that
# can match empty; groups it does not enter keep their values.
[
  (builtins.match "(a*)*" "aa")
  (builtins.match "(a*)+" "aa")
  (builtins.match "(a*){2,}" "aa")
  (builtins.match "(a?)*" "aa")
  (builtins.match "(a*)*b" "aab")
  (builtins.match "(a*)*(a)" "aa")
  (builtins.match "(a*)+(a)" "aa")
  (builtins.match "(b|a*)*" "ab")
  (builtins.match "((a*)|b)*" "b")
  (builtins.match "((b)|(a*))*" "ba")
  (builtins.match "((a)|b*)*" "ab")
  (builtins.match "(a|())*" "aa")
  (builtins.match "(x*)*y(a*)*" "xya")
  (builtins.match "([0-9]*)*\\.([0-9]*)+" "12.34")
  (builtins.match "(a*)*(b)(c*)+" "abcc")
  # $ holds only at the end, ^ only at the start: no empty iteration
  # after "aa" for (^a*), one for (a*$).
  (builtins.match "(a*$)*" "aa")
  (builtins.match "(^a*)*" "aa")
  # Not repeated without bound: the last iteration is kept.
  (builtins.match "(a*)?" "aa")
  (builtins.match "(a|b*){2}" "ab")
  # A body that cannot match empty: no change.
  (builtins.match "(a+)*" "aa")
  (builtins.match "((a)|(b))*" "ab")
  (builtins.split "(a*)*" "baab")
  (builtins.split "(a*)+" "baab")
  (builtins.split "x(a*)*" "xaaxb")
  (builtins.split "(^a*)*" "aab")
  (builtins.split "([0-9]*)*[.]" "1.22.")
]
