[ "" "a" "hello world" "a b	c" ]
