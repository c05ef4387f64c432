let f = x: throw "boom ${x}"; in f "now"
