let
  max = 9223372036854775807;
  min = -9223372036854775807 - 1;
in
[
  max
  min
  (max - 1 + 1)
  (min + 1)
  (min + max)
  (max * 1)
  (min * 1)
  (min / 1)
  (min / 2)
  (max / -1)
  (3037000499 * 3037000499)
  (-3037000499 * 3037000499)
  (0 - max)
  (max - max)
  (builtins.add max 0)
  (builtins.sub min 0)
  (builtins.mul 4611686018427387903 2)
]
