#!/usr/bin/env python3
"""Generate random Nix expressions for differential testing of the parser.

    gen-parse.py --seed N --count K --out DIR

writes DIR/0000.nix ... DIR/<K-1>.nix and DIR/MANIFEST (one line per file:
"NNNN.nix KIND", where KIND is "valid" or the kind of fault that was put in
on purpose).  The output depends only on the seed and the index of the file
(file i is the same whatever --count is).

About 85% of the files are meant to parse.  The others contain one
deliberate fault: a syntax fault made on the token list (a token deleted,
inserted, duplicated or swapped, the text truncated, a stray byte) or a
fault that the parser reports after the syntax (an undefined variable, a
duplicate attribute or formal, a dynamic attribute in a let, an integer or
float out of range, a path with a trailing slash).  A mutation can happen to
leave the file valid; that is fine, both parsers must still agree.

Things the generator keeps away from, because Nix 2.8 prints them in an
order that depends on heap addresses rather than on the text:
  * names of let bindings and of lambda formals are always fresh (never seen
    before in the file, never a builtin), and a default of a formal only
    refers to earlier formals, so that their printing order (symbol creation
    order) is the order of first appearance in the text;
  * a let binds an outer name with `inherit x;` only when that is its only
    binding;
  * at most one undefined variable per file (the error reports the first
    one found while walking the tree, in an address-dependent order).
Only the Python standard library is used.
"""

import argparse
import os
import random
import re
import sys

# --------------------------------------------------------------------------
# precedences (higher binds tighter), as in Nix 2.8's parser.y

P_IMPL, P_OR, P_AND, P_EQ, P_CMP, P_UPDATE, P_NOT, P_ADD, P_MUL, P_CONCAT, \
    P_HAS, P_NEG = range(1, 13)
INF = 100

BINOPS = [
    # (text, precedence, associativity, weight)
    ('->', P_IMPL, 'right', 2),
    ('||', P_OR, 'left', 3),
    ('&&', P_AND, 'left', 3),
    ('==', P_EQ, 'non', 3),
    ('!=', P_EQ, 'non', 2),
    ('<', P_CMP, 'non', 2),
    ('<=', P_CMP, 'non', 1),
    ('>', P_CMP, 'non', 2),
    ('>=', P_CMP, 'non', 1),
    ('//', P_UPDATE, 'right', 3),
    ('+', P_ADD, 'left', 5),
    ('-', P_ADD, 'left', 4),
    ('*', P_MUL, 'left', 3),
    ('/', P_MUL, 'left', 2),
    ('++', P_CONCAT, 'right', 3),
]

# levels of the grammar: a fragment of level L can stand where level >= L'
# is required if L >= L'
L_EXPR, L_OP, L_APP, L_SELECT, L_SIMPLE = 1, 2, 3, 4, 5

KEYWORDS = ['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec',
            'inherit', 'or']

# attribute names (never used as let-bound or formal names)
ATTR_WORDS = ['a', 'b', 'c', 'foo', 'bar', 'baz', 'name', 'value', 'src',
              'meta', 'x1', 'y_2', "p'", 'q-r', 'A', 'Zed', 'outPath',
              'type', '_u', 'long-attribute-name', 'or']
QUOTED_ATTRS = ['if', 'then', 'else', 'let', 'in', 'rec', 'with', 'assert',
                'inherit', '', 'a b', '1x', 'x.y', 'with space', '$',
                '\u00e9t\u00e9', 'a"b', 'tab\tin', 'new\nline', '-', "'"]
BUILTIN_VARS = ['true', 'false', 'null', 'builtins', '__curPos', 'toString',
                'map', 'import', 'baseNameOf', 'derivation', 'abort',
                '__add', '__sub', '__currentSystem']

SAFE_CH = set('()[]{};"')
WORD_CH = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
              '0123456789_\'')
URI_CH = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
             '0123456789%/?:@&=+$,-_.!~*\'')
PATH_CH = set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
              '0123456789._-+')
DIGITS = set('0123456789')

MAX_INT = 9223372036854775807


class Piece:
    """One lexical unit. glue: no whitespace may be put before it."""
    __slots__ = ('text', 'kind', 'glue')

    def __init__(self, text, kind='tok', glue=False):
        self.text = text
        self.kind = kind
        self.glue = glue


class Frag:
    """A printed expression: its pieces and where it may stand."""
    __slots__ = ('pieces', 'level', 'prec', 'tail')

    def __init__(self, pieces, level, prec=INF, tail=INF):
        self.pieces = pieces
        self.level = level      # grammar level (L_*)
        self.prec = prec        # precedence of the top operator (L_OP only)
        self.tail = tail        # lowest unparenthesised prefix operator on
                                # the right spine (INF if none)


def P(text, kind='tok', glue=False):
    return Piece(text, kind, glue)


class Scope:
    def __init__(self, names=(), with_=False, or_bound=False):
        self.names = list(names)
        self.with_ = with_
        self.or_bound = or_bound

    def extend(self, names=(), with_=None, or_bound=None):
        return Scope(self.names + list(names),
                     self.with_ if with_ is None else with_,
                     self.or_bound if or_bound is None else or_bound)


class Gen:
    def __init__(self, rng, fault, single_names=False):
        self.r = rng
        self.single_names = single_names    # at most one name per let/formals
        self.fault = fault          # fault to put in while generating
        self.fault_done = False
        self.counter = 0
        self.max_depth = rng.choice([2, 3, 3, 4, 4, 5, 6])
        self.groups = []            # names of each let / formals list

    # ------------------------------------------------------------- helpers
    def chance(self, p):
        return self.r.random() < p

    def want_fault(self, kind, p=0.25):
        if self.fault == kind and not self.fault_done and self.chance(p):
            self.fault_done = True
            return True
        return False

    def fresh(self):
        """A name never seen before in this file and not known to Nix."""
        self.counter += 1
        n = self.counter
        style = self.r.randrange(12)
        if style == 0:
            return "v%d'" % n
        if style == 1:
            return 'v-%d' % n
        if style == 2:
            return '_v%d' % n
        if style == 3:
            return 'V%d' % n
        if style == 4:
            return 'x%d_y' % n
        if style == 5:
            return self.r.choice(['if', 'in', 'or', 'let', 'then', 'rec',
                                  'with', 'inherit']) + 'w%d' % n
        if style == 6:
            return 'arg%d' % n
        return 'v%d' % n

    # ---------------------------------------------------- level plumbing
    @staticmethod
    def paren(f):
        return Frag([P('(')] + f.pieces + [P(')')], L_SIMPLE)

    def need(self, f, level):
        if f.level < level:
            return self.paren(f)
        if self.chance(0.03):
            return self.paren(f)    # redundant parentheses
        return f

    # --------------------------------------------------------- literals
    def gen_int(self):
        if self.want_fault('int-range', 0.5):
            return Frag([P(str(MAX_INT + 1 + self.r.randrange(10 ** 6)), 'num')], L_SIMPLE)
        c = self.r.randrange(10)
        if c < 5:
            n = self.r.randrange(100)
        elif c < 8:
            n = self.r.randrange(10 ** self.r.randrange(2, 19))
        elif c < 9:
            n = MAX_INT - self.r.randrange(3)
        else:
            n = self.r.randrange(1000)
        s = str(n)
        if self.chance(0.1):
            s = '0' * self.r.randrange(1, 4) + s
        return Frag([P(s, 'num')], L_SIMPLE)

    def gen_float(self):
        if self.want_fault('float-range', 0.5):
            return Frag([P(self.r.choice(['1.0e400', '9.9e999', '1.5e-400', '2.0E+309']), 'num')], L_SIMPLE)
        r = self.r
        frac = ''.join(r.choice('0123456789') for _ in range(r.randrange(1, 7)))
        ipart = str(r.randrange(1, 10)) + ''.join(
            r.choice('0123456789') for _ in range(r.randrange(0, 6)))
        form = r.randrange(5)
        if form == 0:
            s = ipart + '.' + frac
        elif form == 1:
            s = '0.' + frac
        elif form == 2:
            s = '.' + frac
        elif form == 3:
            s = ipart + '.'
        else:
            s = ipart + '.' + frac[:2]
        if r.random() < 0.3:
            s += r.choice('eE') + r.choice(['', '+', '-']) + str(r.randrange(0, 250))
        return Frag([P(s, 'num')], L_SIMPLE)

    def gen_var_name(self, scope):
        """A name to reference; None if nothing fits."""
        if self.fault == 'undef' and not self.fault_done and self.chance(0.2):
            self.fault_done = True
            return 'undef%d' % self.r.randrange(100)
        c = self.r.random()
        if scope.names and c < 0.75:
            return self.r.choice(scope.names)
        if scope.with_ and c < 0.9:
            return self.r.choice(ATTR_WORDS[:-1] + ['free%d' % self.r.randrange(9)])
        if c < 0.97 or not scope.names:
            return self.r.choice(BUILTIN_VARS)
        return self.r.choice(scope.names)

    # ------------------------------------------------------------ strings
    def str_text_unit(self):
        r = self.r
        c = r.randrange(30)
        if c < 12:
            return r.choice('abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789')
        if c < 15:
            return r.choice(['\\n', '\\t', '\\r', '\\\\', '\\"', '\\$', '\\${',
                             '\\a', '\\q', "\\'", '\\ '])
        if c < 17:
            return r.choice(['$a', '$$', '$ ', '$$$x', '$}', '$-'])
        if c < 19:
            return r.choice(['\n', '\t', '\r\n', '\n\n'])
        if c < 21:
            return r.choice(['\u00e9', '\u00fc', '\u65e5', '\U0001f600', '\u00a0'])
        if c < 23:
            if r.random() < 0.02:
                # a control byte (not NUL: modern Nix rejects a NUL in a
                # string where 2.8 cut it; tests/lang covers that)
                return r.choice(['\x01', '\\\x01'])
            return r.choice(["'", "''", '{', '}', '#', '/*', '*/', ';', ':', '//'])
        if c < 24:
            return '$${x}'
        return r.choice('!%&()*+,-./<=>?@[]^_|~')

    def gen_string(self, scope, depth):
        r = self.r
        pieces = [P('"', 'str')]
        n = r.randrange(0, 6)
        for i in range(n):
            if depth > 0 and r.random() < 0.3:
                pieces.append(P('${', 'str', glue=True))
                inner = self.gen_expr(scope, depth - 1, L_EXPR)
                pieces.extend(inner.pieces)
                pieces.append(P('}', 'str'))
                # the text after the interpolation must stick to it
                pieces.append(P(''.join(self.str_text_unit() for _ in range(r.randrange(0, 3))) or 'z',
                                'str', glue=True))
            else:
                pieces.append(P(''.join(self.str_text_unit() for _ in range(r.randrange(1, 6))),
                                'str', glue=True))
        if r.random() < 0.05:
            pieces.append(P(r.choice(['$', 'a$', '$$']), 'str', glue=True))
        pieces.append(P('"', 'str', glue=True))
        return Frag(self.merge_glued(pieces), L_SIMPLE)

    @staticmethod
    def merge_glued(pieces):
        """Drop empty glued pieces (keeps mutations meaningful)."""
        return [p for p in pieces if p.text != '' or not p.glue]

    def ind_text_unit(self):
        r = self.r
        c = r.randrange(30)
        if c < 16:
            return r.choice('abcdefghijklmnopqrstuvwxyz ABC0123456789')
        if c < 18:
            return r.choice(["''$", "'''", "''\\n", "''\\t", "''\\r", "''\\x", "''\\\\", "''\\'"])
        if c < 20:
            return r.choice(["'a", "' ", "it's", "'b"])
        if c < 22:
            return r.choice(['$a', '$$', '$ ', '$$x'])
        if c < 24:
            if r.random() < 0.02:
                return '\x01'    # not NUL: see above
            return r.choice(['"', '\\', '\\n', '{', '}', '#', '/*'])
        if c < 25:
            return '\t'
        if c < 27:
            return r.choice(['\u00e9', '\u65e5'])
        return r.choice('!%&()*+,-./<=>?@[]^_|~;:')

    def gen_indstring(self, scope, depth):
        r = self.r
        base = r.choice([0, 2, 2, 4, 4, 6, 8])
        pieces = [P("''", 'str')]
        first = r.random() < 0.75
        text = ''
        if first:
            text += ' ' * r.randrange(0, 3) + '\n'
        nlines = r.randrange(0, 5)
        for li in range(nlines):
            kind = r.randrange(10)
            if kind == 0:
                text += ' ' * r.randrange(0, base + 4) + '\n'    # blank-ish line
                continue
            indent = ' ' * (base + r.choice([0, 0, 0, 1, 2, 4]))
            if r.random() < 0.08:
                indent = r.choice(['\t', ' \t', '\t ']) + indent
            if r.random() < 0.1 and base > 0:
                indent = ' ' * r.randrange(0, base)
            text += indent
            for u in range(r.randrange(1, 5)):
                if depth > 0 and r.random() < 0.15:
                    if text:
                        pieces.append(P(text, 'str', glue=True))
                        text = ''
                    pieces.append(P('${', 'str', glue=True))
                    pieces.extend(self.gen_expr(scope, depth - 1, L_EXPR).pieces)
                    pieces.append(P('}', 'str'))
                else:
                    text += self.ind_text_unit()
            if li < nlines - 1 or r.random() < 0.7:
                text += '\n'
        if r.random() < 0.5:
            text += ' ' * r.randrange(0, base + 2)
        if r.random() < 0.05:
            text += '$'
        if text:
            pieces.append(P(text, 'str', glue=True))
        pieces.append(P("''", 'str', glue=True))
        return Frag(pieces, L_SIMPLE)

    # ------------------------------------------------------------- paths
    def path_seg(self):
        r = self.r
        return ''.join(r.choice('abcdefxyz0189._-+ABC') for _ in range(r.randrange(1, 6)))

    def gen_path(self, scope, depth):
        r = self.r
        c = r.randrange(12)
        if c == 0:
            s = '<' + '/'.join(self.path_seg() for _ in range(r.randrange(1, 4))) + '>'
            return Frag([P(s, 'path')], L_SIMPLE)
        if c == 1:
            scheme = r.choice(['http', 'https', 'git+ssh', 'ftp', 'mailto', 'a', 'x-y.z'])
            rest = ''.join(r.choice('abcxyz019%/?:@&=+$,-_.!~*\'') for _ in range(r.randrange(1, 12)))
            return Frag([P(scheme + ':' + rest, 'uri')], L_SIMPLE)
        prefix = r.choice(['./', './', '../', '/', '~/', '', './a/../'])
        segs = [self.path_seg() for _ in range(r.randrange(1, 4))]
        if prefix == '' and len(segs) == 1:
            segs.append(self.path_seg())
        s = prefix + '/'.join(segs)
        if prefix == '/' and r.random() < 0.1:
            s = '/.'
        if self.want_fault('trailing-slash', 0.4):
            return Frag([P(s + '/', 'path')], L_SIMPLE)
        if depth > 0 and r.random() < 0.3:
            # interpolated path: the literal prefix must end with '/' or a path char
            pieces = [P(s + ('/' if r.random() < 0.7 else ''), 'path')]
            n = r.randrange(1, 3)
            for i in range(n):
                pieces.append(P('${', 'path', glue=True))
                pieces.extend(self.gen_expr(scope, depth - 1, L_EXPR).pieces)
                pieces.append(P('}', 'path'))
                if i < n - 1 and r.random() < 0.3:
                    # a fragment ending in '/' must be followed by ${
                    pieces.append(P('/' + self.path_seg() + '/', 'path', glue=True))
                elif r.random() < 0.6:
                    pieces.append(P(r.choice(['/', '', '.']) + self.path_seg(), 'path', glue=True))
            return Frag(pieces, L_SIMPLE)
        return Frag([P(s, 'path')], L_SIMPLE)

    # ---------------------------------------------------- attribute names
    def gen_attr_name(self, scope, depth, allow_dynamic=True):
        """Returns (pieces, static_name_or_None)."""
        r = self.r
        c = r.randrange(20)
        if c < 13:
            w = r.choice(ATTR_WORDS)
            return [P(w)], w
        if c < 17:
            q = r.choice(QUOTED_ATTRS)
            esc = q.replace('\\', '\\\\').replace('"', '\\"').replace('$', '\\$') \
                   .replace('\n', '\\n').replace('\t', '\\t')
            return [P('"', 'str'), P(esc, 'str', glue=True), P('"', 'str', glue=True)], q
        if not allow_dynamic or depth <= 0:
            w = r.choice(ATTR_WORDS)
            return [P(w)], w
        if c < 18:
            e = self.gen_expr(scope, depth - 1, L_EXPR)
            return [P('${')] + e.pieces + [P('}')], None
        if c < 19:
            e = self.gen_expr(scope, depth - 1, L_EXPR)
            return ([P('"', 'str'), P('${', 'str', glue=True)] + e.pieces +
                    [P('}', 'str'), P(r.choice(['x', '-', ' y']), 'str', glue=True),
                     P('"', 'str', glue=True)]), None
        # "${"literal"}" and ${"literal"} are static
        w = r.choice(ATTR_WORDS)
        return [P('${'), P('"', 'str'), P(w, 'str', glue=True), P('"', 'str', glue=True),
                P('}')], w

    def gen_attrpath(self, scope, depth, n=None):
        r = self.r
        n = n or r.choice([1, 1, 1, 2, 2, 3])
        pieces = []
        for i in range(n):
            if i:
                pieces.append(P('.'))
            pieces.extend(self.gen_attr_name(scope, depth)[0])
        return pieces

    # -------------------------------------------------------- attribute sets
    def gen_binds(self, scope, depth):
        """Bindings of an attribute set (not a let).  Returns pieces."""
        r = self.r
        pieces = []
        used = {}       # static name -> 'leaf' | dict (mergeable node)
        nb = r.randrange(0, 5)
        for _ in range(nb):
            c = r.randrange(10)
            if c < 1 and (scope.names or scope.with_):
                # inherit outer names
                names = []
                for _ in range(r.randrange(1, 3)):
                    nm = self.gen_var_name(scope)
                    if nm is None or nm in used or nm in names or nm == '__curPos':
                        continue
                    names.append(nm)
                if self.want_fault('dup-attr', 0.5) and used:
                    names.append(r.choice(list(used)))
                for nm in names:
                    used[nm] = 'leaf'
                pieces += [P('inherit')] + [P(nm) for nm in names] + [P(';')]
                continue
            if c < 2:
                src = self.gen_expr(scope, depth - 1, L_EXPR)
                names = []
                for _ in range(r.randrange(0, 3)):
                    w = r.choice(ATTR_WORDS)
                    if w in used or w in names:
                        continue
                    names.append(w)
                for nm in names:
                    used[nm] = 'leaf'
                npieces = []
                for nm in names:
                    if r.random() < 0.2:
                        npieces += [P('"', 'str'), P(nm, 'str', glue=True), P('"', 'str', glue=True)]
                    else:
                        npieces.append(P(nm))
                pieces += [P('inherit'), P('(')] + src.pieces + [P(')')] + npieces + [P(';')]
                continue
            # attrpath = value;
            path, node = [], used
            plen = r.choice([1, 1, 1, 2, 2, 3])
            ok = True
            for i in range(plen):
                last = i == plen - 1
                # try to merge into an existing node
                merge = [k for k, v in node.items() if isinstance(v, dict)]
                if merge and r.random() < 0.4 and not last:
                    k = r.choice(merge)
                    path.append(([P(k)] if k in ATTR_WORDS else
                                 [P('"', 'str'), P(k.replace('\\', '\\\\').replace('"', '\\"')
                                                   .replace('$', '\\$').replace('\n', '\\n')
                                                   .replace('\t', '\\t'), 'str', glue=True),
                                  P('"', 'str', glue=True)], k))
                    node = node[k]
                    continue
                pcs, nm = self.gen_attr_name(scope, depth)
                if nm is not None and nm in node and (last or not isinstance(node[nm], dict)):
                    if not self.want_fault('dup-attr', 0.5):
                        ok = False
                        break
                path.append((pcs, nm))
                if nm is None:
                    node = {}       # dynamic: a fresh, unchecked node
                elif not last:
                    sub = node.get(nm)
                    if not isinstance(sub, dict):
                        sub = {}
                        node[nm] = sub
                    node = sub
            if not ok:
                continue
            value = self.gen_expr(scope, depth - 1, L_EXPR)
            last_nm = path[-1][1]
            if last_nm is not None:
                node[last_nm] = 'leaf'
            for i, (pcs, nm) in enumerate(path):
                if i:
                    pieces.append(P('.'))
                pieces += pcs
            pieces += [P('=')] + value.pieces + [P(';')]
        return pieces

    def gen_attrs(self, scope, depth):
        r = self.r
        rec = r.random() < 0.2
        body = self.gen_binds(scope, depth)
        pieces = ([P('rec')] if rec else []) + [P('{')] + body + [P('}')]
        return Frag(pieces, L_SIMPLE)

    # ---------------------------------------------------------------- let
    def gen_let(self, scope, depth):
        r = self.r
        pieces = [P('let')]
        if r.random() < 0.05 and scope.names:
            # a single `inherit x;`
            nm = r.choice(scope.names)
            inner = scope
            pieces += [P('inherit'), P(nm), P(';'), P('in')]
            body = self.gen_expr(inner, depth - 1, L_EXPR)
            return Frag(pieces + body.pieces, L_EXPR)
        if r.random() < 0.08 and not scope.or_bound:
            inner = scope.extend(or_bound=True)   # 'or' is not a plain variable
            value = self.gen_expr(scope, depth - 1, L_EXPR)
            pieces += [P('or'), P('=')] + value.pieces + [P(';'), P('in')]
            body = self.gen_expr(inner, depth - 1, L_EXPR)
            return Frag(pieces + body.pieces, L_EXPR)
        # decide the names first: values may refer to all of them
        n = r.randrange(0, 2 if self.single_names else 4)
        names = [self.fresh() for _ in range(n)]
        inherit_from = []
        if r.random() < 0.15 and not (self.single_names and n):
            inherit_from = [self.fresh() for _ in range(r.randrange(1, 2 if self.single_names else 3))]
        self.groups.append(names + inherit_from)
        inner = scope.extend(names + inherit_from)
        # first appearance must be in order: a value may only refer to names
        # bound before it or to itself/earlier ones (later ones would be
        # created first)
        sub_names = []
        for i, nm in enumerate(names):
            vis = scope.extend(names[:i + 1])
            if self.want_fault('let-dynamic', 0.5):
                e = self.gen_expr(vis, depth - 1, L_EXPR)
                pieces += [P('${')] + e.pieces + [P('}'), P('=')]
            elif r.random() < 0.15:
                sub = r.choice(ATTR_WORDS)
                sub2 = r.choice([w for w in ATTR_WORDS if w != sub])
                v1 = self.gen_expr(vis, depth - 1, L_EXPR)
                v2 = self.gen_expr(vis, depth - 1, L_EXPR)
                pieces += [P(nm), P('.'), P(sub), P('=')] + v1.pieces + [P(';')]
                pieces += [P(nm), P('.'), P(sub2), P('=')] + v2.pieces + [P(';')]
                continue
            else:
                pieces += [P(nm), P('=')]
            v = self.gen_expr(vis, depth - 1, L_EXPR)
            pieces += v.pieces + [P(';')]
        if inherit_from:
            src = self.gen_expr(scope.extend(names), depth - 1, L_EXPR)
            pieces += [P('inherit'), P('(')] + src.pieces + [P(')')] + \
                      [P(x) for x in inherit_from] + [P(';')]
        if self.want_fault('dup-attr', 0.5) and names:
            pieces += [P(r.choice(names)), P('='), P('1'), P(';')]
        pieces.append(P('in'))
        body = self.gen_expr(inner, depth - 1, L_EXPR)
        return Frag(pieces + body.pieces, L_EXPR)

    def gen_let_old(self, scope, depth):
        # let { body = ...; ... }  == (rec { ... }).body
        r = self.r
        keys = ['body'] + [w for w in r.sample(ATTR_WORDS[:-1], r.randrange(0, 3)) if w != 'body']
        inner = scope.extend(keys)
        pieces = [P('let'), P('{')]
        r.shuffle(keys)
        for k in keys:
            pieces += [P(k), P('=')] + self.gen_expr(inner, depth - 1, L_EXPR).pieces + [P(';')]
        pieces.append(P('}'))
        return Frag(pieces, L_SIMPLE)

    # ------------------------------------------------------------ lambdas
    def gen_lambda(self, scope, depth):
        r = self.r
        c = r.randrange(10)
        if c < 5:
            nm = self.fresh()
            body = self.gen_expr(scope.extend([nm]), depth - 1, L_EXPR)
            return Frag([P(nm), P(':')] + body.pieces, L_EXPR)
        names = [self.fresh() for _ in range(r.randrange(0, 2 if self.single_names else 4))]
        self.groups.append(list(names))
        at = self.fresh() if r.random() < 0.35 else None
        pieces = [P('{')]
        seen = []
        if at and r.random() < 0.5:
            pre = [P(at), P('@')]
        else:
            pre = []
        for i, nm in enumerate(names):
            if i:
                pieces.append(P(','))
            pieces.append(P(nm))
            if r.random() < 0.35:
                vis = scope.extend(seen + ([at] if at else []))
                pieces += [P('?')] + self.gen_expr(vis, depth - 1, L_EXPR).pieces
            seen.append(nm)
        if self.want_fault('dup-formal', 0.6):
            if names and r.random() < 0.7:
                pieces += [P(','), P(r.choice(names))]
            elif names and not at:
                at = r.choice(names)
        ell = r.random() < 0.3
        if ell:
            if names:
                pieces.append(P(','))
            pieces.append(P('...'))
        elif names and r.random() < 0.1:
            pieces.append(P(','))
        pieces.append(P('}'))
        if at and not pre:
            pieces += [P('@'), P(at)]
        pieces.append(P(':'))
        inner = scope.extend(names + ([at] if at else []))
        body = self.gen_expr(inner, depth - 1, L_EXPR)
        return Frag(pre + pieces + body.pieces, L_EXPR)

    # ----------------------------------------------------------- operators
    def binop(self, left, op, right):
        text, prec, assoc, _ = op
        left = self.need(left, L_OP)
        if left.level == L_OP and (left.prec < prec or (left.prec == prec and assoc != 'left')):
            left = self.paren(left)
        elif left.level == L_OP and left.tail < prec:
            left = self.paren(left)
        right = self.need(right, L_OP)
        if right.level == L_OP and (right.prec < prec or (right.prec == prec and assoc != 'right')):
            right = self.paren(right)
        tail = right.tail if right.level == L_OP else INF
        return Frag(left.pieces + [P(text, 'op')] + right.pieces, L_OP, prec, tail)

    def unop(self, text, child):
        prec = P_NOT if text == '!' else P_NEG
        child = self.need(child, L_OP)
        if child.level == L_OP and child.prec < prec:
            child = self.paren(child)
        tail = min(prec, child.tail if child.level == L_OP else INF)
        return Frag([P(text, 'op')] + child.pieces, L_OP, INF, tail)

    def hasattr(self, left, scope, depth):
        left = self.need(left, L_OP)
        if left.level == L_OP and (left.prec < P_HAS or left.tail < P_HAS):
            left = self.paren(left)
        return Frag(left.pieces + [P('?')] + self.gen_attrpath(scope, depth), L_OP, P_HAS, INF)

    def gen_op(self, scope, depth):
        r = self.r
        c = r.randrange(10)
        if c < 6:
            op = r.choices(BINOPS, weights=[b[3] for b in BINOPS])[0]
            left = self.gen_expr(scope, depth - 1, L_OP)
            right = self.gen_expr(scope, depth - 1, L_OP)
            return self.binop(left, op, right)
        if c < 8:
            return self.unop(r.choice(['!', '-']), self.gen_expr(scope, depth - 1, L_OP))
        return self.hasattr(self.gen_expr(scope, depth - 1, L_OP), scope, depth - 1)

    # --------------------------------------------------- select / app
    def gen_select(self, scope, depth):
        r = self.r
        e = self.need(self.gen_expr(scope, depth - 1, L_SIMPLE), L_SIMPLE)
        if scope.or_bound and r.random() < 0.3:
            return Frag(e.pieces + [P('or')], L_SELECT)
        pieces = e.pieces + [P('.')] + self.gen_attrpath(scope, depth - 1)
        if r.random() < 0.35:
            d = self.need(self.gen_expr(scope, depth - 1, L_SELECT), L_SELECT)
            pieces += [P('or')] + d.pieces
        return Frag(pieces, L_SELECT)

    def gen_app(self, scope, depth):
        r = self.r
        f = self.need(self.gen_expr(scope, depth - 1, L_APP), L_APP)
        pieces = list(f.pieces)
        for _ in range(r.randrange(1, 4)):
            a = self.need(self.gen_expr(scope, depth - 1, L_SELECT), L_SELECT)
            pieces += a.pieces
        return Frag(pieces, L_APP)

    def gen_list(self, scope, depth):
        pieces = [P('[')]
        for _ in range(self.r.randrange(0, 5)):
            pieces += self.need(self.gen_expr(scope, depth - 1, L_SELECT), L_SELECT).pieces
        pieces.append(P(']'))
        return Frag(pieces, L_SIMPLE)

    # -------------------------------------------------------------- leaves
    def gen_leaf(self, scope):
        r = self.r
        c = r.randrange(20)
        if c < 8:
            nm = self.gen_var_name(scope)
            return Frag([P(nm)], L_SIMPLE)
        if c < 11:
            return self.gen_int()
        if c < 13:
            return self.gen_float()
        if c < 16:
            return self.gen_string(scope, 0)
        if c < 17:
            return self.gen_indstring(scope, 0)
        if c < 19:
            return self.gen_path(scope, 0)
        if r.random() < 0.5:
            return Frag([P('{'), P('}')], L_SIMPLE)
        return Frag([P('['), P(']')], L_SIMPLE)

    # ---------------------------------------------------------- dispatcher
    def gen_expr(self, scope, depth, want):
        """An expression; `want` is only a hint of the level the caller
        needs (callers wrap with need())."""
        r = self.r
        if depth <= 0:
            return self.gen_leaf(scope)
        table = [
            (self.gen_leaf, 6, False),
            (self.gen_string, 3, True),
            (self.gen_indstring, 2, True),
            (self.gen_path, 2, True),
            (self.gen_attrs, 4, True),
            (self.gen_list, 3, True),
            (self.gen_select, 4, True),
            (self.gen_app, 4, True),
            (self.gen_op, 7, True),
            (self.gen_let_old, 0.3, True),
        ]
        if want <= L_OP:
            table.append((self.gen_op, 4, True))
        if want <= L_EXPR:
            table += [
                (self.gen_lambda, 3, True),
                (self.gen_let, 3, True),
                (self.gen_with, 1, True),
                (self.gen_assert, 1, True),
                (self.gen_if, 2, True),
            ]
        else:
            # keyword forms inside parentheses now and then
            table += [
                (self.gen_lambda, 0.5, True),
                (self.gen_let, 0.5, True),
                (self.gen_if, 0.5, True),
            ]
        fn, _, with_scope = r.choices(table, weights=[t[1] for t in table])[0]
        if with_scope:
            return fn(scope, depth)
        return fn(scope)

    def gen_with(self, scope, depth):
        e = self.gen_expr(scope, depth - 1, L_EXPR)
        body = self.gen_expr(scope.extend(with_=True), depth - 1, L_EXPR)
        return Frag([P('with')] + e.pieces + [P(';')] + body.pieces, L_EXPR)

    def gen_assert(self, scope, depth):
        e = self.gen_expr(scope, depth - 1, L_EXPR)
        body = self.gen_expr(scope, depth - 1, L_EXPR)
        return Frag([P('assert')] + e.pieces + [P(';')] + body.pieces, L_EXPR)

    def gen_if(self, scope, depth):
        c = self.gen_expr(scope, depth - 1, L_EXPR)
        a = self.gen_expr(scope, depth - 1, L_EXPR)
        b = self.gen_expr(scope, depth - 1, L_EXPR)
        return Frag([P('if')] + c.pieces + [P('then')] + a.pieces + [P('else')] + b.pieces, L_EXPR)

    # ---------------------------------------------------------- top level
    def gen_file(self):
        r = self.r
        # bind a few names around the whole expression
        pre = []
        names = []
        for _ in range(r.randrange(0, 4)):
            nm = self.fresh()
            names.append(nm)
            pre += [P(nm), P(':')]
        scope = Scope(names)
        body = self.gen_expr(scope, self.max_depth, L_EXPR)
        return pre + body.pieces


# ------------------------------------------------------------------ layout

def danger(a, b):
    """True if the characters a, b must not touch."""
    if a in SAFE_CH or b in SAFE_CH:
        return False
    aw, bw = a in WORD_CH, b in WORD_CH
    if aw and (bw or b in "-'/"):
        return True
    if a == '/' and (bw or b in '/*.'):
        return True
    if a == '*' and b == '/':
        return True
    if (a, b) in {('-', '>'), ('+', '+'), ('<', '='), ('>', '='), ('=', '='),
                  ('!', '='), ('&', '&'), ('|', '|'), ("'", "'"), ('$', '{'),
                  ('.', '.'), ('.', '/'), ('~', '/')}:
        return True
    if a == '<' and (bw or b in '-.+_'):
        return True
    if a == '.' and b in DIGITS:
        return True
    if a in DIGITS and b == '.':
        return True
    if a == ':' and b in URI_CH:
        return True
    return False


def can_glue(prev, nxt):
    if not prev.text or not nxt.text:
        return True
    a, b = prev.text[-1], nxt.text[0]
    if prev.kind in ('path', 'uri', 'num'):
        if b in '()[]{};"':
            return not (prev.kind == 'path' and nxt.kind == 'path')
        return False
    if nxt.kind == 'num' and a in '.-+' and prev.kind != 'op':
        return False
    if nxt.kind == 'path' and (a in PATH_CH or a == '/'):
        return False            # then./a is one path
    return not danger(a, b)


def whitespace(r):
    c = r.randrange(100)
    if c < 72:
        return ' '
    if c < 82:
        return '\n' + ' ' * r.randrange(0, 8)
    if c < 85:
        return '\t'
    if c < 89:
        return ' ' * r.randrange(2, 5)
    if c < 92:
        return ' /*' + r.choice(['', ' c ', '*', ' a * b ', '\n', ' /* ', ' ** ']) + '*/ '
    if c < 95:
        return ' #' + r.choice(['', ' comment', ' # ', ' /* ']) + '\n'
    if c < 97:
        return '\r\n'
    if c < 98:
        return '\r'
    return ' \n\n '


def layout(r, pieces):
    """Join pieces, choosing the whitespace between them."""
    out = []
    prev = None
    dense = r.random() < 0.15      # prefer no whitespace where possible
    for p in pieces:
        if prev is not None and not p.glue:
            if can_glue(prev, p) and r.random() < (0.7 if dense else 0.1):
                pass
            else:
                out.append(whitespace(r))
        out.append(p.text)
        prev = p
    return ''.join(out)


# ---------------------------------------------------------------- mutations

INSERTABLE = [';', '}', ')', ']', '{', '(', '[', '=', ':', '.', ',', '?', '@',
              'then', 'else', 'in', 'let', 'if', 'rec', 'inherit', 'or', '"',
              "''", '${', '...', '+', '-', '!', '<', '==', '->', '//', '++',
              'x', '1', '1.5', './p', '/*', '#', '$', '%', '`', '~', '&', '|',
              '\x00', '\xff', '\\']


def mutate(r, kind, pieces):
    """Syntactic faults made on the piece list; returns (pieces, extra)."""
    n = len(pieces)
    if n == 0:
        return pieces
    i = r.randrange(n)
    if kind == 'delete':
        return pieces[:i] + pieces[i + 1:]
    if kind == 'insert':
        t = r.choice(INSERTABLE)
        return pieces[:i] + [Piece(t, 'tok')] + pieces[i:]
    if kind == 'duplicate':
        p = pieces[i]
        return pieces[:i + 1] + [Piece(p.text, p.kind, False)] + pieces[i + 1:]
    if kind == 'swap' and n >= 2:
        i = r.randrange(n - 1)
        a, b = pieces[i], pieces[i + 1]
        return pieces[:i] + [Piece(b.text, b.kind, a.glue), Piece(a.text, a.kind, b.glue)] + pieces[i + 2:]
    return pieces


GEN_FAULTS = ['undef', 'dup-attr', 'dup-formal', 'let-dynamic', 'int-range',
              'float-range', 'trailing-slash']
SYNTAX_FAULTS = ['delete', 'insert', 'duplicate', 'swap', 'truncate', 'byte']


def generate(seed, index):
    """Returns (bytes, kind, groups of let/formal names) for file `index`.

    Nix 2.8 prints let bindings and formals in the order of the addresses
    of their symbols.  For the first symbols a file creates, that is the
    order of creation, but later ones can reuse freed memory at lower
    addresses (seen from about the 20th new symbol on).  So a let or a
    formals list with several names is only kept in a file with few
    distinct words; otherwise the file is made again with one name per
    let and per formals list."""
    res = _generate(seed, index, False)
    data, kind, groups = res
    if any(len(g) > 1 for g in groups):
        words = set(WORD_RE.findall(data.decode('utf-8', 'replace')))
        if len(words) > MAX_WORDS_FOR_MULTI:
            res = _generate(seed, index, True)
    return res


WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*")
MAX_WORDS_FOR_MULTI = 24


def _generate(seed, index, single_names):
    r = random.Random('nixe-gen-parse:%d:%d%s' % (seed, index, ':single' if single_names else ''))
    c = r.random()
    if c < 0.85:
        kind = 'valid'
    elif c < 0.95:
        kind = r.choice(SYNTAX_FAULTS)
    else:
        kind = r.choice(GEN_FAULTS)
    g = Gen(r, kind if kind in GEN_FAULTS else None, single_names)
    pieces = g.gen_file()
    if kind in ('delete', 'insert', 'duplicate', 'swap'):
        pieces = mutate(r, kind, pieces)
    text = layout(r, pieces)
    # file-level whitespace
    if r.random() < 0.1:
        text = r.choice(['# header\n', '/* header */ ', '\n\n', '  ', '\t']) + text
    c = r.random()
    if c < 0.75:
        text += '\n'
    elif c < 0.8:
        text += ' # trailer'
    elif c < 0.85:
        text += '\r\n'
    elif c < 0.9:
        text += '\n\n'
    if kind == 'truncate' and text:
        text = text[:r.randrange(len(text))]
    elif kind == 'byte':
        pos = r.randrange(len(text) + 1)
        text = text[:pos] + r.choice(['\x00', '\xff', '\x01', '\x7f', '`', '%', '$', '~', '\\']) + text[pos:]
    if kind in GEN_FAULTS and not g.fault_done:
        kind = 'valid'          # the fault found no place to go
    # \xff stands for the byte 0xff (invalid UTF-8), not U+00FF
    data = text.encode('utf-8').replace('\u00ff'.encode('utf-8'), b'\xff')
    return data, kind, g.groups


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=100)
    ap.add_argument('--out', required=True)
    ap.add_argument('--start', type=int, default=0,
                    help='index of the first file (default 0)')
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    for i in range(args.start, args.start + args.count):
        data, kind, _ = generate(args.seed, i)
        name = '%04d.nix' % i
        with open(os.path.join(args.out, name), 'wb') as f:
            f.write(data)
        manifest.append('%s %s\n' % (name, kind))
    with open(os.path.join(args.out, 'MANIFEST'), 'w') as f:
        f.writelines(manifest)
    return 0


if __name__ == '__main__':
    sys.exit(main())
