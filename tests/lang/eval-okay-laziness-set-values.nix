# selecting one attribute does not evaluate the others
({ a = 1; b = throw "b"; c = abort "c"; d = 1 + "x"; }).a
