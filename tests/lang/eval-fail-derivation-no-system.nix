(derivation { name = "nosystem"; builder = "/bin/sh"; }).drvPath
