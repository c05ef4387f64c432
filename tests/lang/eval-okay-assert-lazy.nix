let x = assert false; 1; in "assert not evaluated"
