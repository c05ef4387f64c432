{ a = null; }.a.b
