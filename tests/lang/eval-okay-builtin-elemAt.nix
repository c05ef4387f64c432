let l = [ "a" "b" (throw "unused") "d" ]; in [ (builtins.elemAt l 0) (builtins.elemAt l 3) ]
