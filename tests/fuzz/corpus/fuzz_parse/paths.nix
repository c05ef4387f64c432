[ ./a/b ../c /d/e ~/f <nixpkgs/lib> ./a/${"b"}/c ]
