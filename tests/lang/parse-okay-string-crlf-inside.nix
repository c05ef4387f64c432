# CR LF and lone CR inside "..." are normalised to LF.
[ "a
b" "cd" ]
