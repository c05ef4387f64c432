let even1 = n: odd2 n; odd2 = n: even1 n; in even1
