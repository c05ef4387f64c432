x: "a${b}c"
