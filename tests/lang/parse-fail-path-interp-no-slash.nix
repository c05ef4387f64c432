x: a${x}
