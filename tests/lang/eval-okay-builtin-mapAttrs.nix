[ (builtins.mapAttrs (n: v: "${n}=${toString v}") { a = 1; b = 2; }) (builtins.mapAttrs (n: v: v) { }) ((builtins.mapAttrs (n: v: throw "lazy") { a = 1; }) ? a) ]
