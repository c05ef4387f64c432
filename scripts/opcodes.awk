# opcodes.awk — lints opcodes.def and writes docs/opcodes.md on stdout.
# POSIX awk.  Checks: every OP names a declared FMT, names are unique and
# upper-case, pop/push are integers >= -1, flags are known, and every OP
# line carries a stack picture comment "( before -- after ) sentence".
function fail(msg) { print FILENAME ":" FNR ": " msg > "/dev/stderr"; bad = 1 }
BEGIN {
    known["F_FRAME"] = 1; known["F_THROW"] = 1; known["F_ALLOC"] = 1
    known["F_POLL"] = 1; known["F_NOFALL"] = 1; known["0"] = 1
}
/^FMT\(/ {
    line = $0
    sub(/^FMT\(/, "", line)
    split(line, f, ",")
    name = f[1]; gsub(/ /, "", name)
    bytes = f[2]; gsub(/ /, "", bytes)
    desc = line; sub(/^[^"]*"/, "", desc); sub(/".*$/, "", desc)
    if (name in fmts) fail("duplicate format " name)
    fmts[name] = bytes
    fmtdesc[name] = desc
    fmtorder[++nfmt] = name
    next
}
/^OP\(/ {
    line = $0
    comment = ""
    if (match(line, /\/\*.*\*\//)) comment = substr(line, RSTART + 2, RLENGTH - 4)
    head = line; sub(/\).*$/, "", head); sub(/^OP\(/, "", head)
    n = split(head, a, ",")
    if (n != 5) { fail("OP needs 5 fields"); next }
    for (i = 1; i <= 5; i++) gsub(/^ +| +$/, "", a[i])
    name = a[1]; fmt = a[2]; pop = a[3]; push = a[4]; flags = a[5]
    if (name !~ /^[A-Z][A-Z0-9_]*$/) fail("bad opcode name " name)
    if (name in ops) fail("duplicate opcode " name)
    if (!(fmt in fmts)) fail("opcode " name " uses undeclared format " fmt)
    if (pop !~ /^-?[0-9]+$/ || pop < -1) fail("bad pop count for " name)
    if (push !~ /^-?[0-9]+$/ || push < -1) fail("bad push count for " name)
    nf = split(flags, fl, "|")
    for (i = 1; i <= nf; i++) { g = fl[i]; gsub(/ /, "", g); if (!(g in known)) fail("unknown flag " g " on " name) }
    gsub(/^ +| +$/, "", comment)
    if (comment !~ /^\( [^)]*-- [^)]*\) [A-Z]/) fail("opcode " name " lacks a stack picture and sentence")
    pic = comment; sub(/\).*$/, ")", pic)
    doc = comment; sub(/^\([^)]*\) */, "", doc)
    ops[name] = 1
    order[++nops] = name
    ofmt[name] = fmt; opop[name] = pop; opush[name] = push; oflags[name] = flags
    opic[name] = pic; odoc[name] = doc
    next
}
END {
    if (bad) exit 1
    print "<!-- generated from opcodes.def by scripts/opcodes.awk — do not edit -->"
    print "# nixe opcodes"
    print ""
    print "The instruction set of nixe's VM, generated from `opcodes.def` (run"
    print "`scripts/opcodes-doc.sh` after editing it; `make check` verifies this file)."
    print ""
    print "## Operand formats"
    print ""
    print "| format | bytes | meaning |"
    print "|---|---|---|"
    for (i = 1; i <= nfmt; i++) print "| `" fmtorder[i] "` | " fmts[fmtorder[i]] " | " fmtdesc[fmtorder[i]] " |"
    print ""
    print "## Instructions"
    print ""
    print "| # | opcode | operands | stack | flags | meaning |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= nops; i++) {
        o = order[i]
        fls = oflags[o]; gsub(/ /, "", fls); if (fls == "0") fls = ""; gsub(/\|/, ", ", fls)
        print "| " i - 1 " | `" o "` | " ofmt[o] " | `" opic[o] "` | " fls " | " odoc[o] " |"
    }
}
