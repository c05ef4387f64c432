let x = throw "unused"; y = abort "unused"; in [ (builtins.isFunction throw) (builtins.typeOf abort) ]
