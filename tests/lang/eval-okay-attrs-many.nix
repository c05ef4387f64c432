builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i * i; }) 30)
