# found by the differential tester: partition forces every element before
# calling the predicate (CppNix 2.8 and modern), so an element's error shows
# even when nothing uses the element
(builtins.partition (e: true) [ 1 { a = 1; }.nothere ]).wrong
