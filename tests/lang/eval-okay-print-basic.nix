[ 1 0 (-5) "str" true false null [ ] { } [ 1 [ 2 [ 3 ] ] ] { a = { b = { }; }; } ]
