a: b: c: [ a.${b} a.${b}.${c} a."${b}x" ]
