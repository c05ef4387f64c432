a: with a; [ foo bar.baz (qux 1) ]
