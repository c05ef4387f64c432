if true && !false || null == null -> 1 < 2 then 1 else 2
