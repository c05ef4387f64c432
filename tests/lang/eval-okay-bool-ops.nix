[ (true && false) (true && true) (false || true) (false || false) (!true) (!false) (!!true) (true -> false) (false -> false) (true -> true) (!(1 == 2)) ]
