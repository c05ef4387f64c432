x: {
  x = 1;
  inherit x;
}
