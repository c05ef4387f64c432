# __structuredAttrs (a __json environment variable) and __ignoreNulls.
let
  base = { name = "s"; builder = "/bin/sh"; system = "x86_64-linux"; };
  dep = derivation base;
  structured = derivation (base // {
    __structuredAttrs = true;
    int = 1; float = 1.5; yes = true; nothing = null;
    list = [ 1 "x" [ null ] { a = "b"; } ];
    set = { z = 1; a = [ ]; nested = { deep = "s\"t\n"; }; };
    inherit dep;
    outputs = [ "out" "bin" ];
  });
  ignore = derivation (base // { __ignoreNulls = true; gone = null; kept = 1; });
  keep = derivation (base // { __ignoreNulls = false; gone = null; kept = 1; });
  default = derivation (base // { gone = null; kept = 1; });
in {
  structured = [ structured.drvPath structured.outPath structured.bin.outPath ];
  ignore = [ ignore.drvPath keep.drvPath default.drvPath ];
}
