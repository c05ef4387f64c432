(s@{ x, y ? x * 2 }: [ x y s ]) { x = 3; }
