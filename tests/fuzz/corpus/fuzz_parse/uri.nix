[ http://example.org/x?y=1 mailto:a@b ]
