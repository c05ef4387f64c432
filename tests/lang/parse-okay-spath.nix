[ <nixpkgs> <nixpkgs/lib> <a.b-c_d+e> <a/b/c> <x1> ]
