# builtins.filterSource and builtins.path: filtered NAR hashes, names, flat
# (non-recursive) files, the path as the context of the result.
let fx = ./eval-store-fixture; in {
  all = builtins.filterSource (p: t: true) fx;
  noSymlinks = builtins.filterSource (p: t: t != "symlink") fx;
  noSubdir = builtins.filterSource (p: t: baseNameOf p != "sub") fx;
  emptySubdir = builtins.filterSource (p: t: baseNameOf p != "data") fx;
  dirsOnly = builtins.path { path = fx; filter = p: t: t == "directory"; };
  renamed = builtins.path { path = fx; name = "renamed"; };
  flat = builtins.path { path = ./eval-store-fixture/hello.txt; recursive = false; };
  checked = builtins.path { path = ./eval-store-fixture/hello.txt; sha256 = "04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw"; };
  context = builtins.getContext (builtins.path { path = fx; });
  inDerivation = (derivation { name = "f"; builder = "/bin/sh"; system = "x86_64-linux";
    src = builtins.filterSource (p: t: t != "symlink") fx; }).drvPath;
}
