#!/bin/sh
# Regenerate the .exp file of parse tests with the reference implementation
# (nix-instantiate from Nix 2.8).  Usage (from anywhere):
#
#   tests/lang/update-exp.sh                      # every parse-*.nix
#   tests/lang/update-exp.sh parse-okay-foo.nix   # only these
#
# parse-okay-*: .exp = stdout of `nix-instantiate --parse` (exit status must be 0)
# parse-fail-*: .exp = stderr of `nix-instantiate --parse` (exit status must be 1)
# The absolute directory of tests/lang is replaced by @DIR@ and $HOME (forced
# to a fixed value) by @HOME@.  Review every changed .exp before committing.
set -u
NIX=${NIX_INSTANTIATE:-nix-instantiate}
dir=$(cd "$(dirname "$0")" && pwd -P)
home=/tmp/nixe-home
cd "$dir" || exit 1
[ $# -gt 0 ] || set -- parse-*.nix
status=0
for f; do
    f=${f##*/}
    base=${f%.nix}
    case $base in
        parse-okay-*) want=0 ;;
        parse-fail-*) want=1 ;;
        *) echo "skipping $f (not parse-okay-* / parse-fail-*)" >&2; continue ;;
    esac
    HOME=$home NIX_PATH='' "$NIX" --parse "$dir/$f" >"$base.out.tmp" 2>"$base.err.tmp"
    rc=$?
    if [ "$rc" != "$want" ]; then
        echo "$f: exit status $rc, expected $want" >&2
        sed 's/^/    /' "$base.err.tmp" >&2
        status=1
    else
        if [ "$want" = 0 ]; then src=$base.out.tmp; else src=$base.err.tmp; fi
        # literal (non-regex) replacement of the directory and of $HOME
        DIR=$dir HOMEDIR=$home perl -pe 's/\Q$ENV{DIR}\E/\@DIR\@/g; s/\Q$ENV{HOMEDIR}\E/\@HOME\@/g' \
            <"$src" >"$base.exp"
    fi
    rm -f "$base.out.tmp" "$base.err.tmp"
done
exit $status
