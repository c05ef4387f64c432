a@{ }@b: a
