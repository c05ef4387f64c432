or: 1
