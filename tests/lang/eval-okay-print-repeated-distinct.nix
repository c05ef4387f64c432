# equal but distinct values are printed in full
[ { a = 1; } { a = 1; } [ 1 2 ] [ 1 2 ] ]
