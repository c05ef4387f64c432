a: [ a."if" a."then" a.${"else"} a."" a.or a.b.or ]
