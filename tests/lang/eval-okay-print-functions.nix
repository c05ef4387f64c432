[ (x: x) ({ a }: a) builtins.add (builtins.add 1) builtins.map (builtins.map (x: x)) builtins.head ]
