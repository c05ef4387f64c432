let { body = helper3; helper3 = 1; }
