let s = { __functor = self: x: x; }; in [ (builtins.isFunction s) (builtins.isAttrs s) (builtins.typeOf s) ]
