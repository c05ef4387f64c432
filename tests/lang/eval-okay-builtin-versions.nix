# compareVersions / splitVersion / parseDrvName: numeric components compare
# as numbers, "pre" sorts first, a number sorts after letters, a missing
# component before a number; names end at the first '-' not followed by a
# letter.
[
  (builtins.compareVersions "1.2" "1.10")
  (builtins.compareVersions "1.10" "1.2")
  (builtins.compareVersions "1.2.3" "1.2.3")
  (builtins.compareVersions "2.3pre1" "2.3")
  (builtins.compareVersions "2.3a" "2.3.1")
  (builtins.compareVersions "2.3" "2.3.0")
  (builtins.compareVersions "1.0-rc1" "1.0-rc2")
  (builtins.compareVersions "" "0")
  (builtins.compareVersions "a" "b")
  (builtins.splitVersion "1.2.3pre4-rc.5")
  (builtins.splitVersion "")
  (builtins.splitVersion "..--")
  (builtins.parseDrvName "hello-2.10")
  (builtins.parseDrvName "nix-unstable-2016-09-01")
  (builtins.parseDrvName "foo-bar")
  (builtins.parseDrvName "no_version")
]
