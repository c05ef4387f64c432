[ ({ a = 1; }.a or (throw "not used")) ({ }.a or 2) ]
