[ (1 == 1) (1 == 2) ("a" == "a") ("a" == "b") (true == true) (true == false) (null == null) (null == false) (1 != 2) ("x" != "x") (1 == "1") (0 == false) ("" == null) ]
