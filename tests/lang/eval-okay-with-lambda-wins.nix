(x: with { x = "with"; }; x) "lambda"
