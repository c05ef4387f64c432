scopedImport [ ] ./eval-files-fixture/imp/scoped.nix
