a'b: a-b: _c: A_1: x'': [ a'b a-b _c A_1 x'' ]
