[ http://x.org/a?b=c https://example.com/a/b.tar.gz git+ssh://git@host/x mailto:x ftp://a/b%20c ]
