a: b: [ (a ? b) (a ? b.c) (a ? "b") (a ? ${b}) (a ? b.${b}.d) (a ? "x y") (a ? or) ]
