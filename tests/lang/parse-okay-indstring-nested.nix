x: ''
  outer ${''
    inner ${x}
  ''} end
''
