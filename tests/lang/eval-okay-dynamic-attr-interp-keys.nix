let keys = [ "x" "y" "z" ]; in builtins.listToAttrs (map (k: { name = k; value = { ${k} = k; }; }) keys)
