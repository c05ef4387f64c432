x: 'a'
