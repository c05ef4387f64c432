s: t: {
  inherit (s) a;
  inherit (t) a;
}
