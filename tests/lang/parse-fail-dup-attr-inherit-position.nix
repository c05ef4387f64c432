a: {inherit   (a)   b  b;}
