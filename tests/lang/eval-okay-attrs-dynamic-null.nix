# a dynamic attribute whose name is null is left out
{ ${null} = 1; a = 2; b.${null} = 3; }
