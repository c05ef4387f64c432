# drvPath/outPath of plain derivations: one and several outputs, args,
# environment variables of every value type, escapes in the ATerm text.
let
  base = { name = "basic"; builder = "/bin/sh"; system = "x86_64-linux"; };
  one = derivation base;
  multi = derivation (base // { outputs = [ "out" "dev" "lib" ]; });
  withArgs = derivation (base // { args = [ "-c" "echo hi" 1 2.5 true false null [ 1 [ "x" ] ] ]; });
  env = derivation (base // {
    int = 42; float = 1.25; yes = true; no = false; nothing = null;
    list = [ 1 "two" [ 3 ] null true ];
    str = "quote\" backslash\\ newline\n tab\t cr\r dollar$";
    empty = "";
  });
in {
  one = [ one.drvPath one.outPath one.outputName one.type ];
  multi = [ multi.drvPath multi.outPath multi.dev.outPath multi.lib.outPath multi.out.drvPath multi.dev.outputName ];
  multiNames = builtins.attrNames multi;
  withArgs = withArgs.drvPath;
  env = [ env.drvPath env.outPath ];
  strictNames = builtins.attrNames (derivationStrict (base // { outputs = [ "a" "b" ]; }));
}
