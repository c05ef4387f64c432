# libstdc++ builds e+ as one copy of e with a repeat node looping back to
# it (not as e{1,}, two copies): 16 nested "+" are 67 states, where two
# copies per level would pass the 100000-state limit.  The rest of each
# pattern is one whose captures glibc's POSIX matcher takes differently
# (values checked against nix-instantiate 2.8).
[
  (builtins.match "((((((((((((((((x)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+((a*)*b)*" "xxaabb")
  (builtins.match "((((((((((((((((x)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+(a|ab)(c|bcd)(d*)" "xabcd")
  (builtins.split "((((((((((((((((x)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+(|b){2}" "axbxx")
]
