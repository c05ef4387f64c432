f: g: x: y: [ (f x) (f x y) (f (g x) y) (f g x y) ((f x) y) (f (x y)) ]
