builtins.readFileType ./eval-files-fixture/nope
