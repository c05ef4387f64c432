# (f -1) is a subtraction, not an application.
f: x: [ (- f x) (! f x) (-x.y.z) (f -1) ]
