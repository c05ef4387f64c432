# a file holding a NUL byte cannot be read into a Nix string (the .data file
# next to this one is "a", NUL, "b", newline); modern CppNix gives the call's
# position, Nix 2.8 none
builtins.readFile ./eval-fail-readFile-nul.data
