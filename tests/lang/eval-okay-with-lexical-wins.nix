# variables bound by let/lambda beat attributes of `with`, even an outer let
let x = "let"; in with { x = "with"; y = "with-y"; }; [ x y ]
