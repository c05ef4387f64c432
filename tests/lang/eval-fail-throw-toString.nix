# throw's message goes through coerceToString: a set's __toString gives it
# (Nix 2.8 prints "error: from __toString" too).
throw { __toString = self: "from __toString"; }
