{ a ? b }:
  a
