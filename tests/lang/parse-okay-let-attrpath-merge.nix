let aset = { bee = 1; }; aset.cee = 2; in aset
