a: b: c: [ (if a then b else c) (if a then if b then 1 else 2 else 3) (if a then b else if c then 1 else 2) ]
