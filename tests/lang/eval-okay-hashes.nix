# hashString and hashFile with every algorithm.
let algos = [ "md5" "sha1" "sha256" "sha512" ];
in {
  strings = map (a: builtins.hashString a "abc") algos;
  empty = map (a: builtins.hashString a "") algos;
  files = map (a: builtins.hashFile a ./eval-store-fixture/hello.txt) algos;
}
