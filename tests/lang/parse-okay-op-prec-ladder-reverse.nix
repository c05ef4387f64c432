a: b: c: d: e: f: g: h: i: j: - a ? k ++ b * c + d // e < f == g && h || i -> j
