/* abc

