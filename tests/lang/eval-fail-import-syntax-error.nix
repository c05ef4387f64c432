# a file with a syntax error: the error is in the imported file
import ./eval-import-syntax-error.nix
