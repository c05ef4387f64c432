[ { or = 1; }.or ({ a = 1; }.or or "default") ]
