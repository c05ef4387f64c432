a: b: [ (a+b) (a*b) (a/ b) (a++b) (a//b) (a<b) (a>b) (a==b) (a!=b) (a&&b) (a||b) (1-b) (1->b) ]
