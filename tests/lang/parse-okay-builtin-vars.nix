[ true false null builtins builtins.map __add __sub __lessThan __findFile __nixPath ]
