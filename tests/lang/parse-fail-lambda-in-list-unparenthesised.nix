x: [ y: y ]
