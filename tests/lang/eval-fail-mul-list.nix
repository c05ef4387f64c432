# multiplication needs numbers
[ ] * 2
