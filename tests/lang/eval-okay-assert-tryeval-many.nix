# Failed assertions are catchable; each failure prints its condition.
map (i: (builtins.tryEval (assert i > 2 && (assert i != 3; true); i)).success) [ 1 2 3 4 ]
