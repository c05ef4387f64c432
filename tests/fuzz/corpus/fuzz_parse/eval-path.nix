[ (./. + "/a") (builtins.toString ./x) (baseNameOf ./y) (builtins.dirOf ./z) ]
