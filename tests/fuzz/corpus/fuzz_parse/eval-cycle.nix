let x = { inherit x; y = [ x ]; }; in x
