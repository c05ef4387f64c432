builtins.findFile [ { path = ./eval-files-fixture; prefix = "x"; } ] "nope/x"
