f: f or
