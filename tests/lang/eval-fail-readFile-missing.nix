builtins.readFile ./eval-files-fixture/nope.txt
