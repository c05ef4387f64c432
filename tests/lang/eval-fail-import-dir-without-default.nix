# a directory without default.nix
import ./eval-files-fixture/sub
