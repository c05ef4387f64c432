# true, null, map etc. are in the global scope, which beats `with`
with { true = "shadow"; null = "shadow"; map = "shadow"; toString = "shadow"; }; [ true null (map (x: x + 1) [ 1 ]) (toString 5) ]
