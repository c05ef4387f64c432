# imported by eval-fail-import-syntax-error.nix (not a case itself)
{ a = 1;
  b = ;
}
