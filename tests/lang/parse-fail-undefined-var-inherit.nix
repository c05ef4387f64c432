rec {
  a = 1;
  inherit b;
}
