''
  line ${toString 1}
    indented
'' + "\n" + (builtins.concatStringsSep "" (builtins.genList (x: "ab") 10))
