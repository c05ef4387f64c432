outer1: let inherit outer1; in outer1
