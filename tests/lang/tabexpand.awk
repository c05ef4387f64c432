# tabexpand.awk — expands @TAB@ in an expected-output file the way modern
# CppNix's filterANSIEscapes expands a tab: spaces up to the next multiple
# of 8 of the width printed so far in the whole output (every character
# counts, newlines too; UTF-8 continuation bytes do not).  The width
# depends on the file paths printed before the tab, so the expected file
# cannot hold the spaces itself.  Run with LC_ALL=C.
{
    out = ""
    n = length($0)
    for (i = 1; i <= n; i++) {
        if (substr($0, i, 5) == "@TAB@") {
            do { out = out " "; w++ } while (w % 8)
            i += 4
            continue
        }
        c = substr($0, i, 1)
        out = out c
        if (!(c >= "\200" && c < "\300")) w++
    }
    print out
    w++
}
