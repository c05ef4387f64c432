# CR is not normalised in indented strings and is not whitespace for the
# indentation stripping, so nothing is stripped here.
''
  a
  b
''
