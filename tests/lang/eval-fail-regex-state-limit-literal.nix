# A literal pattern costs libstdc++ a state per byte and 4 more: 99,997
# bytes pass its limit of 100000.
let
  a10 = "aaaaaaaaaa";
  a100 = a10 + a10 + a10 + a10 + a10 + a10 + a10 + a10 + a10 + a10;
  a1k = a100 + a100 + a100 + a100 + a100 + a100 + a100 + a100 + a100 + a100;
  a10k = a1k + a1k + a1k + a1k + a1k + a1k + a1k + a1k + a1k + a1k;
  a100k = a10k + a10k + a10k + a10k + a10k + a10k + a10k + a10k + a10k + a10k;
in
builtins.match (builtins.substring 0 99997 a100k) "a"
