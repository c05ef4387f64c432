# A pattern too big for glibc (20 nested "+": 2^20 copies there) on a
# subject where backtracking is exponential: nixe's matcher runs out of its
# step budget and, with no glibc fallback for such a pattern, fails
# (nix-instantiate backtracks for as long as it takes).
builtins.match "((((((((((((((((((((a)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
