#!/usr/bin/env python3
"""Differential test of builtins.match and builtins.split: random POSIX
extended patterns over `a`/`b` against nix-instantiate (Nix 2.8: libstdc++'s
std::regex, as CppNix today).

    tests/difftest/regex-diff.py NIXE_BINARY [--seed N] [--count K] [--subjects S]

Generates K patterns (groups, `* + ? {n} {n,} {n,m}`, repeated quantifiers,
`|` with empty alternatives, `^ $`, `.`, `[ab]`), each with S random
subjects of 0-7 characters, and compares `match` and `split` of every pair
(2*K*S results) between `NIXE_BINARY --eval --strict` and
`nix-instantiate --eval --strict`.  A pattern nix-instantiate takes longer
than --timeout seconds over (its backtracking is exponential on some) is
listed and not compared.  Run by hand (make check does not need
nix-instantiate); the last figures are in docs/builtins.md, "Regular
expressions".  Prints each differing result, then
`regex-diff: N results, N differ`; exit status 1 if any differ.
The patterns depend only on the seed.  Only the Python standard library is
used.

Environment: NIX_INSTANTIATE (default nix-instantiate).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

BATCH = 100


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def atom(self, d):
        r = self.r
        k = r.random()
        if d < 3 and k < 0.35:
            return '(' + self.alt(d + 1) + ')'
        if k < 0.75:
            return r.choice('ab')
        return r.choice(['.', '[ab]', '[^a]', 'a', 'b'])

    def quant(self):
        r = self.r
        k = r.random()
        if k < 0.45:
            return ''
        if k < 0.85:
            return r.choice(['*', '+', '?'])
        n = r.randint(0, 2)
        return r.choice(['{%d}' % n, '{%d,}' % n, '{%d,%d}' % (n, n + r.randint(0, 2))])

    def piece(self, d):
        r = self.r
        if r.random() < 0.08:
            return r.choice('^$')
        q = self.quant()
        if q and r.random() < 0.1:
            q += r.choice(['*', '+', '?'])
        return self.atom(d) + q

    def cat(self, d):
        return ''.join(self.piece(d) for _ in range(self.r.randint(0, 3)))

    def alt(self, d):
        branches = [self.cat(d)]
        while self.r.random() < 0.3 and len(branches) < 3:
            branches.append(self.cat(d))
        return '|'.join(branches)

    def pattern(self):
        p = ''
        while not p:
            p = self.alt(0)
        return p

    def subject(self):
        return ''.join(self.r.choice('ab') for _ in range(self.r.randint(0, 7)))


def nix_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('$', '\\$') + '"'


def expr(cases):
    items = []
    for p, subjects in cases:
        for s in subjects:
            items.append('[ (builtins.match %s %s) (builtins.split %s %s) ]' % (nix_str(p), nix_str(s), nix_str(p), nix_str(s)))
    return 'builtins.toJSON [\n' + '\n'.join(items) + '\n]\n'


def run(cmd, path, timeout):
    try:
        out = subprocess.run(cmd + ['--eval', '--strict', path], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 'timeout'
    if out.returncode != 0:
        return 'error'
    return json.loads(json.loads(out.stdout))


def evaluate(cmd, cases, tmp, timeout):
    """The results of cases, two per subject (match, split); 'error' or
    'timeout' for those of a pattern whose evaluation failed (a failing
    batch is halved until the pattern is alone)."""
    path = os.path.join(tmp, 'batch.nix')
    with open(path, 'w') as f:
        f.write(expr(cases))
    res = run(cmd, path, timeout)
    if not isinstance(res, str):
        return res
    if len(cases) == 1:
        return [[res, res]] * len(cases[0][1])
    h = len(cases) // 2
    return evaluate(cmd, cases[:h], tmp, timeout) + evaluate(cmd, cases[h:], tmp, timeout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('nixe')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=1200)
    ap.add_argument('--subjects', type=int, default=3)
    ap.add_argument('--timeout', type=int, default=10, help='seconds per evaluation')
    a = ap.parse_args()
    g = Gen(random.Random(a.seed))
    cases = [(p, [g.subject() for _ in range(a.subjects)]) for p in (g.pattern() for _ in range(a.count))]
    nix = [os.environ.get('NIX_INSTANTIATE', 'nix-instantiate'), '--readonly-mode']
    nixe = [os.path.abspath(a.nixe)]
    total = differ = slow = 0
    with tempfile.TemporaryDirectory() as tmp:
        for b in range(0, len(cases), BATCH):
            batch = cases[b:b + BATCH]
            ref = evaluate(nix, batch, tmp, a.timeout)
            got = evaluate(nixe, batch, tmp, a.timeout)
            k = 0
            for p, subjects in batch:
                for s in subjects:
                    for what, i in (('match', 0), ('split', 1)):
                        total += 1
                        r, n = ref[k][i], got[k][i]
                        if r == 'timeout':
                            # libstdc++'s backtracking gone exponential:
                            # nothing to compare with.
                            slow += 1
                            print('%s %s %s: nix timed out, nixe %s' % (what, json.dumps(p), json.dumps(s), json.dumps(n)))
                        elif r != n:
                            differ += 1
                            print('%s %s %s: nix %s, nixe %s' % (what, json.dumps(p), json.dumps(s),
                                                                 json.dumps(r), json.dumps(n)))
                    k += 1
    print('regex-diff: %d results, %d differ, %d not compared (nix-instantiate timed out)' % (total, differ, slow))
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
