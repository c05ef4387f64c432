# Beyond what backtracking does in bounded time and memory, match and split
# answer with glibc's matcher: a subject of 1,000,000 characters through a
# repeated group (nix-instantiate 2.8 overflows its stack from about
# 100,000), and a pattern whose backtracking is exponential (the
# alternatives of (a|aa)* split 60 a's in Fibonacci(60) ways; the answer
# is the one nix-instantiate gives for 20 a's).
let
  abab = builtins.concatStringsSep "" (builtins.genList (i: "ab") 500000);
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
