#!/usr/bin/env python3
"""Differential test of builtins.fromJSON against Nix 2.8.

    tests/difftest/json-diff.py NIXE_BINARY [SEED] [COUNT]

Generates COUNT random JSON texts (deterministic for SEED), valid and
invalid: values nested a few levels, atoms chosen near every error class of
nlohmann::json's lexer and parser (literals, numbers, escapes, surrogates,
control characters, UTF-8, byte-order marks), with bytes deleted, inserted
or cut off at random.  Each text goes to a file; `builtins.fromJSON
(builtins.readFile FILE)` is evaluated with `--eval --strict` by
nix-instantiate ($NIX_INSTANTIATE) and by nixe, and the exit status,
stdout and the first line of stderr must be equal.  Texts on which Nix 2.8
and modern CppNix (hence nixe) are known to differ are not compared: an
unsigned integer above 2^63-1 (2.8 wraps it around) and a NUL byte in a
string (2.8 cuts the string); a text with a raw NUL or an empty one cannot
be read / has modern nlohmann::json's own message.  Prints each
disagreement and `json-diff: N compared, N skipped, N disagreements`;
exits 1 if there was one.  Only the Python standard library is used.
"""
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile

ATOMS = ['true', 'false', 'null', 'tru', 'fals', 'nul', 't', '0', '-0', '1', '-1', '01', '-', '1.', '1.5', '.5',
         '1e', '1e+', '1e5', '1E-3', '-1.5e300', '1e400', '-1e400', '18446744073709551615', '18446744073709551616',
         '9223372036854775807', '-9223372036854775808', '-9223372036854775809', '"a"', '"\\u00e9"',
         '"\\ud83d\\ude00"', '"\\ud800"', '"\\udc00"', '"\\ud800x"', '"\\ud800\\u0041"', '"\\u12"', '"\\x"', '"\\"',
         '"abc', '"\t"', '"\x01"', '"\x7f"', '"\xc3\xa9"', '"\xc3"', '"\xff"', '"\xe0\x80\x80"', '"\xed\xa0\x80"',
         '"\xf4\x90\x80\x80"', '"\xf0\x9f\x98\x80"', 'x', '@', '/', '/* c */', '[', ']', '{', '}', ':', ',', '""',
         '"\\n\\t\\/\\b\\f\\r"', '\xef\xbb\xbf', '\xef\xbb', '1x', '[1 2]', '{"a" 1}', '{1:2}', '{"a":}', '[,]',
         '[1,]', '{"a":1,}']
WS = ['', ' ', '\n', '\t', '\r\n', '  \n ']


def gen(r, d=0):
    c = r.random()
    if d > 3 or c < 0.4:
        return r.choice(ATOMS)
    if c < 0.7:
        return '[' + r.choice(WS) + (',' + r.choice(WS)).join(gen(r, d + 1) for _ in range(r.randint(0, 3))) + r.choice(WS) + ']'
    return '{' + r.choice(WS) + ','.join(r.choice(['"k"', '"a"', '"b\\u00e9"', 'x', '']) + r.choice(WS) + ':' + r.choice(WS) + gen(r, d + 1)
                                     for _ in range(r.randint(0, 3))) + '}'


def mutate(r, b):
    b = bytearray(b)
    for _ in range(r.randint(0, 2)):
        if not b:
            break
        i = r.randrange(len(b))
        op = r.randint(0, 2)
        if op == 0:
            del b[i]
        elif op == 1:
            b.insert(i, r.choice(b' ,:[]{}"\\x0\n'))
        else:
            b = b[:i]
    return bytes(b)


def text(seed, i):
    r = random.Random('nixe-json-diff:%d:%d' % (seed, i))
    t = gen(r).encode('latin1')
    return t if r.random() < 0.5 else mutate(r, t)


def run(prog, f):
    p = subprocess.run([prog, '--eval', '--strict', '-E', 'builtins.fromJSON (builtins.readFile %s)' % f],
                       capture_output=True, timeout=30, env=dict(os.environ, NIX_PATH='', HOME='/nonexistent'))
    return p.returncode, p.stdout, p.stderr.split(b'\n')[0]


def main():
    if not 2 <= len(sys.argv) <= 4:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    nixe = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    nix = os.environ.get('NIX_INSTANTIATE', 'nix-instantiate')
    tmp = tempfile.mkdtemp(prefix='json-diff.')

    def one(i):
        t = text(seed, i)
        if b'\0' in t or t == b'':
            return 'skip', None
        f = os.path.join(tmp, '%d.json' % i)
        with open(f, 'wb') as fh:
            fh.write(t)
        a, b = run(nix, f), run(nixe, f)
        os.unlink(f)
        if b'unsigned json number' in b[2] or b'null bytes' in b[2]:
            return 'skip', None
        return ('ok', None) if a == b else ('bad', (t, a, b))

    n = {'ok': 0, 'skip': 0, 'bad': 0}
    with concurrent.futures.ThreadPoolExecutor(int(os.environ.get('JOBS', '2'))) as ex:
        for kind, info in ex.map(one, range(count)):
            n[kind] += 1
            if info:
                t, a, b = info
                print('input %r\n  nix : %d %r %r\n  nixe: %d %r %r' % (t, a[0], a[1][:200], a[2], b[0], b[1][:200], b[2]))
    os.rmdir(tmp)
    print('json-diff: %d compared, %d skipped, %d disagreements' % (n['ok'] + n['bad'], n['skip'], n['bad']))
    return 1 if n['bad'] else 0


if __name__ == '__main__':
    sys.exit(main())
