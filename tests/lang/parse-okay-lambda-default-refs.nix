outer: { p1 ? outer, p2 ? p1 }: p2
