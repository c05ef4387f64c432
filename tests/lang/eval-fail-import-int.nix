# modern CppNix adds the value to coerceToString's message (2.8 did not)
import 1
