# '-' and '\'' are identifier characters: a-b is one identifier and a->b
# lexes as a- > b.
a: b: a-b: a-: a-1: [ (a-b) (a - b) (a->b) (a -> b) (a-1) ]
