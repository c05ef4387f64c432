let n = 1; in
assert n > 1;
n
