with builtins; [ (compareVersions "1.2" "1.10") (splitVersion "1.2pre3") (parseDrvName "hello-2.1") ]
