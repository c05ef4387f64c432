#!/usr/bin/env python3
"""drvpaths.py -- every top-level derivation of a nixpkgs tree, nixe
against nix-instantiate: the .drv and out paths of each, compared, with
both tools' CPU time and peak memory.

    python3 bench/drvpaths.py NIXPKGS [NIXE] [NIX_INSTANTIATE]

The acceptance workloads (bench/nixpkgs.sh) cover NixOS and the 14.04
tree's out paths; this covers every package of any tree, e.g. the
16.09pre snapshot whose outpaths.nix run stops at its first uncatchable
error (the snapshot's Haskell package set is a stub, so `pkgs.ghc` and
the packages built with it fail with "attribute ... missing", which
tryEval does not catch).

1. nixe lists the top-level names (builtins.attrNames).
2. Names whose evaluation fails uncatchably are found by bisection with
   nixe (chunks of 500 names, halved until one name fails alone) and
   left out; they are listed.
3. Both tools evaluate bench/drvpaths.nix on the remaining names
   (`--eval --strict`, nix-instantiate with --readonly-mode); the outputs
   must be byte-identical.  A difference is reported per package.

Exit status 0 when identical, 1 when not (or a tool fails).  Needs
python3 and GNU time as /usr/bin/time.  A 16.09pre tree: ~6,400 names,
~5,700 derivations; nixe ~3 s, nix-instantiate ~9 s, bisection ~2 min.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXPR = os.path.join(HERE, 'drvpaths.nix')


def main():
    if len(sys.argv) < 2:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    tree = os.path.abspath(sys.argv[1])
    nixe = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..', 'nixe')
    nix = sys.argv[3] if len(sys.argv) > 3 else 'nix-instantiate'
    tmp = tempfile.mkdtemp()
    names_file = os.path.join(tmp, 'names.json')
    names_arg = 'builtins.fromJSON (builtins.readFile %s)' % names_file

    r = subprocess.run([nixe, '--eval', '--strict', '--json', '-E',
                        'builtins.attrNames (import %s { })' % tree],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print('drvpaths: listing the names failed:\n' + r.stderr, file=sys.stderr)
        return 1
    names = json.loads(r.stdout)

    def run(tool, ns, extra=()):
        with open(names_file, 'w') as f:
            json.dump(ns, f)
        tfile = os.path.join(tmp, 'time')
        cmd = ['/usr/bin/time', '-o', tfile, '-f', '%U %S %M', tool, *extra,
               '--eval', '--strict', EXPR, '--arg', 'nixpkgs', tree, '--arg', 'names', names_arg]
        p = subprocess.run(cmd, capture_output=True, text=True)
        with open(tfile) as f:
            u, s, m = f.read().split()[-3:]
        return p, float(u) + float(s), int(m) // 1024

    bad = []

    def bisect(ns):
        if run(nixe, ns)[0].returncode == 0:
            return
        if len(ns) == 1:
            bad.append(ns[0])
            return
        h = len(ns) // 2
        bisect(ns[:h])
        bisect(ns[h:])

    for i in range(0, len(names), 500):
        bisect(names[i:i + 500])
    left_out = set(bad)
    good = [n for n in names if n not in left_out]
    print('%d names, %d left out (uncatchable errors): %s' % (len(names), len(bad), ' '.join(bad) or '-'))

    px, cx, mx = run(nixe, good)
    pn, cn, mn = run(nix, good, ('--readonly-mode',))
    for tool, p in (('nixe', px), ('nix-instantiate', pn)):
        if p.returncode != 0:
            print('drvpaths: %s failed:\n%s' % (tool, p.stderr[-2000:]), file=sys.stderr)
            return 1
    ndrv = px.stdout.count('.drv')
    print('%d derivations; cpu nix-instantiate %.2f s, nixe %.2f s (%.2fx); peak %d MB, %d MB (%.2f)'
          % (ndrv, cn, cx, cn / cx if cx else 0, mn, mx, mn / mx if mx else 0))
    if px.stdout == pn.stdout:
        print('identical')
        return 0
    # One entry per package: "name out drv" strings in a Nix list.
    ours = dict(e.split(' ', 1) for e in px.stdout.strip('[ ]\n"').split('" "'))
    theirs = dict(e.split(' ', 1) for e in pn.stdout.strip('[ ]\n"').split('" "'))
    for k in sorted(set(ours) | set(theirs)):
        if ours.get(k) != theirs.get(k):
            print('DIFFERS %s\n  nix-instantiate: %s\n  nixe:            %s' % (k, theirs.get(k), ours.get(k)))
    return 1


if __name__ == '__main__':
    sys.exit(main())
