/* leading */ [ 1 /* in */ 2 /**/ 3 /* multi
 line */ 4 /* ** */ 5 /***/ 6 /* a * b */ ]
