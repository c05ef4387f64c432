[ a: a ]
