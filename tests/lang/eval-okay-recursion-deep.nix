# 100000 nested (non-tail) calls.  CppNix 2.8 overflows its C stack here
# and modern CppNix stops at its default max-call-depth (10000); nixe's
# limit is higher, so this must succeed.
let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 100000
