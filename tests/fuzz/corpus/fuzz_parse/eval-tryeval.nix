with builtins; [ (tryEval (throw "x")) (tryEval (assert false; 1)) (tryEval 1) (seq 1 2) (deepSeq [ 1 ] 2) ]
