# Beyond what backtracking does in bounded time and memory, match and split
# answer with glibc's matcher: a subject of 1,048,576 characters through a
# repeated group (nix-instantiate 2.8 overflows its stack from about
# 100,000), and a pattern whose backtracking is exponential (the
# alternatives of (a|aa)* split 60 a's in Fibonacci(60) ways; the answer
# is the one nix-instantiate gives for 20 a's).  The subject is built by
# doubling: a few safepoints, where a list of 500,000 thunks would make the
# CI's collect-at-every-safepoint run quadratic.
let
  double = n: s: if n == 0 then s else double (n - 1) (s + s);
  abab = double 19 "ab";
  a60 = builtins.concatStringsSep "" (builtins.genList (i: "a") 60);
  parts = builtins.split "(a|b)*" abab;
in [
  (builtins.match "(a|b)*" abab)
  (builtins.match "((a|b)*)b" abab == null)
  (builtins.length parts)
  (builtins.elemAt parts 1)
  (builtins.split "(a|aa)*" (a60 + "b"))
  (builtins.split "(a|aa)*b" (a60 + "b"))
]
