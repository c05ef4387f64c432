map (x: 10 / x) [ 1 0 ]
