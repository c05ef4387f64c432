# Inputs collected from string contexts: outputs of other derivations,
# a fixed-output input (hashed by its output only), toFile texts with
# references, local files and directories copied to the store.
let
  sys = "x86_64-linux";
  lib = derivation { name = "lib"; builder = "/bin/sh"; system = sys; outputs = [ "out" "dev" ]; };
  src = derivation { name = "src.tar.gz"; builder = "builtin:fetchurl"; system = "builtin"; url = "http://example.org/src.tar.gz";
                     outputHash = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="; };
  setup = builtins.toFile "setup" "export PATH=/bin";
  script = builtins.toFile "builder.sh" "source ${setup}";
  app = derivation {
    name = "app-1.0"; system = sys;
    builder = "${lib}/bin/bash";
    args = [ "-e" script "${lib.dev}/include" ];
    inherit src;
    local = ./eval-store-fixture/hello.txt;
    tree = ./eval-store-fixture;
    libs = [ lib lib.dev ];
  };
  top = derivation { name = "top"; builder = "/bin/sh"; system = sys; app = "${app}"; again = app.outPath; };
in {
  inherit script;
  app = [ app.drvPath app.outPath ];
  top = [ top.drvPath top.outPath ];
  local = "${./eval-store-fixture/hello.txt}";
  tree = "${./eval-store-fixture}";
  sub = "${./eval-store-fixture/sub}";
  exe = "${./eval-store-fixture/run.sh}";
}
