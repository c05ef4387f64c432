with builtins; [ (match "([a-z]+)([0-9]*)" "abc123") (split "[,;]" "a,b;c") ]
