# Modern Nix checks the name first, with its own message (2.8: "store path
# '…-a b' contains illegal character ' '").
(derivation { name = "a b"; builder = "/bin/sh"; system = "x86_64-linux"; }).drvPath
