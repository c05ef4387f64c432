# `or` also applies when something along the path is not a set
[ ((1).a or "one") ("s".b or "two") ([ ].c or "three") ((x: x).d or "four") ]
