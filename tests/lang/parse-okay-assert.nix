a: b: [ (assert a; b) (assert a; assert b; a) (assert a == b; a + b) ]
