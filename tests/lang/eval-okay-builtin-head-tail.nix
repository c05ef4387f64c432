[ (builtins.head [ 1 2 3 ]) (builtins.tail [ 1 2 3 ]) (builtins.tail [ 1 ]) (builtins.head [ 1 (throw "lazy") ]) (builtins.length (builtins.tail [ (throw "lazy") 2 ])) ]
