let
  r = builtins.tryEval (builtins.tryEval (throw "inner")).success;
in
[ r (builtins.tryEval (builtins.deepSeq [ (throw "deep") ] 1)) ]
