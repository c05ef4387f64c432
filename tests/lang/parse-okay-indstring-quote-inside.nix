''
  "quoted" \n \"
''
