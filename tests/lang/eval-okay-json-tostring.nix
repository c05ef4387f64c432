# --json prints a set with __toString as the string it returns, as
# builtins.toJSON does (CppNix's printValueAsJSON calls tryAttrsToString
# whether or not it forces): at the top, nested, chained, before an
# outPath, in a list.
let tos = v: { __toString = self: v; };
in {
  a = tos "a";
  b = [ (tos (tos "chained")) { __toString = self: "b"; outPath = "no"; } ];
  c = { outPath = tos "via outPath"; };
  d = { n = 1; __toString = self: "n=${toString self.n}"; };
}
