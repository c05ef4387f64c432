# A layered set passed to a function without `...`: the unexpected name
# may sit in any layer.
let
  big = builtins.listToAttrs (builtins.genList (i: { name = "k${toString i}"; value = i; }) 20);
  f = { k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12, k13, k14, k15, k16, k17, k18, k19, extra }: k0 + extra;
in [ (f (big // { extra = 1; })) (f (big // { extra = 2; } // { surplus = 3; })) ]
