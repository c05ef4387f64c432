{ a, b ? a + 1, ... }@args: x: y: args.a or b
