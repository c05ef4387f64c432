{ a = { b = throw "x"; }; c = [ (throw "y") ]; d = abort "z"; }
