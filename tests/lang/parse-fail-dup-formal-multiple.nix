{ qq, pp, qq, pp }: 1
