# Interpolation, toString and concatStringsSep of plain strings take a
# one-allocation path in nixe; contexts must come through unchanged and
# other kinds of parts still go the general way.
let
  d = derivation { name = "sb"; builder = "/bin/sh"; system = "x86_64-linux"; };
  t = builtins.toFile "t" "text";
  ctx = builtins.getContext;
  n = -9223372036854775807 - 1;
in {
  ints = map toString [ 0 7 (-1) 42 1000000 9223372036854775807 n (-10) ];
  interp = [ "a${"b"}c" "${""}" "${toString 12}-${toString (-3)}" "x${"y"}${"z"}" ];
  ctxOne = ctx "pre ${d} post";
  ctxTwo = ctx "${d}${t}";
  ctxSame = ctx "${d}:${d}";
  toStringKeeps = ctx (toString "${t}");
  toStringOthers = [ (toString 1.5) (toString true) (toString false) (toString null) (toString [ 1 "a" [ ] 2 ]) (toString { outPath = "o"; }) ];
  sep = [
    (builtins.concatStringsSep ", " [ "a" "b" "c" ])
    (builtins.concatStringsSep "" [ ])
    (builtins.concatStringsSep "-" [ "" ])
    (builtins.concatStringsSep "-" [ "" "" ])
    (builtins.concatStringsSep "/" [ "a" { outPath = "o"; } "b" ])
  ];
  # The separator's context is kept even when it is not used (Nix 2.8
  # and modern CppNix alike).
  sepCtxNone = ctx (builtins.concatStringsSep "${t}" [ ]);
  sepCtxNoneSet = ctx (builtins.concatStringsSep "${t}" [ { outPath = "o"; } ]);
  sepCtxOne = ctx (builtins.concatStringsSep "${t}" [ "a" ]);
  sepCtxTwo = ctx (builtins.concatStringsSep "${t}" [ "a" "b" ]);
  sepCtxElem = ctx (builtins.concatStringsSep "," [ "a" "${d}" "${t}" ]);
}
