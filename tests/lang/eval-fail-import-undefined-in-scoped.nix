# outside scopedImport the file's free variable a is undefined
import ./eval-files-fixture/imp/scoped.nix
