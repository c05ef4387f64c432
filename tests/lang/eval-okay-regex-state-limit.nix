# Patterns glibc's regcomp would expand exponentially (it copies the
# operand of e+ and e{n,m}) but whose libstdc++ automaton, which CppNix
# uses, stays within its 100000-state limit: answered by nixe's own matcher
# without glibc (values checked against nix-instantiate 2.8).
[
  # 20 nested "+": 83 states in libstdc++, 2^20 copies in glibc.
  (builtins.match "((((((((((((((((((((a)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+" "a")
  (builtins.split "((((((((((((((((((((a)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+" "xaax")
  (builtins.match "((((((((((((((((((((a)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*)*" "aa")
  (builtins.match "((((((((((((((((((((a)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?" "a")
  # 12 nested "{1,}": 80,000 states, the deepest under the limit.
  (builtins.match "((((((((((((a){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}" "aa")
  # A long nullable chain (quadratic in glibc) and a bound past glibc's
  # RE_DUP_MAX (32767).
  (builtins.split "(a*){2000}b" "xaabyb")
  (builtins.match "(a|b){1,10000}" "abba")
  (builtins.match "x{40000}" "x")
]
