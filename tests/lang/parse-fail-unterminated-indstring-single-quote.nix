''
  abc'
