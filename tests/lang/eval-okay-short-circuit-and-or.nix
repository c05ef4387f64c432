[ (false && throw "no") (true || throw "no") (false -> throw "no") (true && true) (false || false) ]
