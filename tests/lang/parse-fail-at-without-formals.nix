a@b: a
