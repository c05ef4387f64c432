({ pa ? pb, pb ? pa }: pa) { }
