#!/usr/bin/env python3
"""Generate random Nix expressions for differential testing of the evaluator.

    gen-eval.py --seed N --count K --out DIR [--start I]

writes DIR/<I>.nix ... and DIR/MANIFEST (one line per file: "NNNN.nix
KIND", where KIND is "valid" or the kind of fault that was put in on
purpose).  The output depends only on the seed and the index of the file
(file i is the same whatever --count and --start are).

The expressions are closed and typed: the generator asks for an
expression of a type (integer, Boolean, string, list of integers, list of
strings, attribute set with known attributes, function from integer to
integer) and builds one from the constructs and builtins nixe implements:
let, rec, with, inherit, inherit (e), nested and dynamic attributes,
lambdas with formals, defaults, `@` and `...`, if, assert, `or`, `?`,
`//`, `++`, arithmetic, comparison, equality, Boolean operators, string
interpolation, __functor, partial application of builtins, tryEval, seq,
deepSeq, genericClosure, toXML, toJSON and fromJSON, hashString, split,
match, compareVersions, parseDrvName, elem, any/all, concatMap,
partition, unused failing bindings (laziness), ...
Sizes are bounded (depth, list lengths, numbers) so that every file
evaluates instantly.

About 80% of the files are meant to evaluate.  The others get one
deliberate fault in a random place: a throw, an abort, a failing assert,
a missing attribute, a type error, a call of a non-function, a missing or
unexpected function argument, `head []`, an index out of range, a
division by zero, an infinite recursion, a builtin given an argument of
the wrong type or value (a bad JSON text, regex, hash name...), or an
integer overflow (Nix 2.8
wraps around where nixe, like modern Nix, fails: see
eval-known-differences.txt).  A fault can land in a place that is never
evaluated; both evaluators must then still agree.

Things the generator keeps away from, because Nix 2.8 and modern Nix (which
nixe follows) print them differently:
  * keywords and names with `$` as attribute names (quoting in output);
  * floats (formatting not final in nixe);
  * deep recursion (max-call-depth), `builtins.sort` of an empty list with
    a non-function, integer overflow outside of the 'overflow' fault;
  * faults in the function of `genList` (modern Nix forces it even for an
    empty list) and in sets compared with `==` (the attributes are compared
    in a different order).
Only the Python standard library is used.
"""

import argparse
import os
import random
import re
import sys

INT, BOOL, STR, LINT, LSTR, LLINT, SET, FN, NULL, PATH = \
    'int', 'bool', 'str', 'lint', 'lstr', 'llint', 'set', 'fn', 'null', 'path'
SCALARS = [INT, BOOL, STR, NULL]
ATTR_NAMES = ['a', 'b', 'c', 'x', 'y', 'z', 'foo', 'bar', 'n', 'name', 'value',
              'k-1', "p'", '_u', 'Big', 'x2', 'a b', '1x', '', 'or', 'é']
STR_ATOMS = ['', 'a', 'b', 'hello', 'x y', 'A-Z', 'é', '日本', '0', '42',
             'tab\\t', 'nl\\n', 'q\\"', 'back\\\\', '\\${no}', '$', '$$x', 'end $']
FAULTS = ['throw', 'abort', 'assert', 'missing-attr', 'type-error',
          'call-non-function', 'missing-arg', 'unexpected-arg', 'head-empty',
          'index-range', 'div-zero', 'infinite-recursion', 'overflow',
          'bad-compare', 'bad-coerce', 'builtin-arg']
MAX_INT = 9223372036854775807
KEYWORDS = ['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit']


class Scope:
    """Typed variables: lexical ones (name -> type) and `with` attributes."""

    def __init__(self, lex=None, withs=None):
        self.lex = dict(lex or {})
        self.withs = dict(withs or {})

    def bind(self, names):
        s = Scope(self.lex, self.withs)
        s.lex.update(names)
        return s

    def with_(self, fields):
        s = Scope(self.lex, self.withs)
        s.withs.update(fields)          # an inner `with` hides an outer one
        return s

    def candidates(self, ty):
        out = [n for n, t in self.lex.items() if t == ty]
        # a `with` attribute is reachable only if no lexical variable has its name
        out += [n for n, t in self.withs.items() if t == ty and n not in self.lex]
        return [n for n in out if is_var(n)]


def num(n):
    """An integer literal that can stand as a function argument."""
    return str(n) if n >= 0 else '(%d)' % n


IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*\Z")


def is_var(name):
    """Can the name be used as a variable?"""
    return bool(IDENT_RE.match(name)) and name not in KEYWORDS + ['or']


def attr(name):
    """An attribute name as written in a binding or a selection."""
    if IDENT_RE.match(name) and name not in KEYWORDS:
        return name
    return '"%s"' % name


class Gen:
    def __init__(self, rng, fault):
        self.r = rng
        self.fault = fault
        self.fault_done = False
        self.counter = 0
        self.no_fault = 0           # > 0: no fault may be put here
        self.max_depth = rng.choice([3, 4, 4, 5, 5, 6])

    def chance(self, p):
        return self.r.random() < p

    def fresh(self):
        self.counter += 1
        return 'v%d' % self.counter

    def want_fault(self, p=0.15):
        if self.fault and not self.fault_done and not self.no_fault and self.chance(p):
            self.fault_done = True
            return True
        return False

    # ------------------------------------------------------------- faults
    def faulty(self, ty, scope, depth):
        """An expression of type ty that fails when evaluated (or None)."""
        f = self.fault
        r = self.r
        if f == 'throw':
            return '(throw "fault %d")' % r.randrange(100)
        if f == 'abort':
            return '(abort "fault %d")' % r.randrange(100)
        if f == 'assert':
            return '(assert %s; %s)' % (r.choice(['false', '1 > 2', '"a" == "b"', '[ 1 ] == [ 2 ]']),
                                        self.expr(ty, scope, 0))
        if f == 'missing-attr':
            return '({ %s = %s; }.nothere)' % (attr(r.choice(ATTR_NAMES)), self.expr(ty, scope, 0))
        if f == 'type-error':
            return r.choice(['(1 + "x")', '("x" + 1)', '(if 1 then %s else %s)' % (self.expr(ty, scope, 0), self.expr(ty, scope, 0)),
                             '(builtins.length "s")', '((1).a)', '({ } // 1)',
                             '([ 1 ] ++ 2)', '(!1)', '(true && "x")', '(builtins.attrNames [ ])',
                             '(builtins.stringLength [ ])', '(builtins.substring "0" 1 "ab")'])
        if f == 'call-non-function':
            return '(%s %s)' % (r.choice(['1', '"s"', '{ a = 1; }', '[ ]', 'null', 'true']), self.expr(INT, scope, 0))
        if f == 'missing-arg':
            return '(({ a, b }: a) { a = %s; })' % self.expr(ty, scope, 0)
        if f == 'unexpected-arg':
            return '(({ a }: a) { a = %s; b = 1; })' % self.expr(ty, scope, 0)
        if f == 'head-empty':
            return '(builtins.%s [ ])' % r.choice(['head', 'tail'])
        if f == 'index-range':
            return '(builtins.elemAt [ %s ] %d)' % (self.expr(ty, scope, 0), r.choice([1, 2, -1]))
        if f == 'div-zero':
            return '(%s / (%s - %s))' % (self.expr(INT, scope, 0), 'builtins.length [ ]', '0')
        if f == 'infinite-recursion':
            v = self.fresh()
            return r.choice(['(let %s = %s + 1; in %s)' % (v, v, v),
                             '(rec { %s = %s; }).%s' % (v, v, v),
                             '(let %s = { inherit (%s) w; }; in %s.w)' % (v, v, v)])
        if f == 'overflow':
            big = MAX_INT - r.randrange(3)
            return r.choice(['(%d + %d)' % (big, r.randrange(3, 100)),
                             '(-%d - %d)' % (big, r.randrange(3, 100)),
                             '(%d * %d)' % (big // r.randrange(1, 4), r.randrange(4, 9)),
                             '(builtins.mul 4294967297 4294967297)',
                             '(builtins.add %d %d)' % (big, big)])
        if f == 'bad-compare':
            return '(if %s then %s else %s)' % (r.choice(['1 < "a"', '{ } < { }', 'true < false', 'null < 1', '[ 1 ] < [ "a" ]']),
                                                self.expr(ty, scope, 0), self.expr(ty, scope, 0))
        if f == 'builtin-arg':
            return r.choice(['(builtins.concatMap 1 [ 1 ])', '(builtins.elem 1 2)', '(builtins.hashString "md4" "a")',
                             '(builtins.fromJSON "[1,")', '(builtins.fromJSON "{\\"a\\" 1}")', '(builtins.fromJSON "1e400")',
                             '(builtins.fromJSON 1)', '(builtins.toJSON (x: x))', '(builtins.split 1 "a")',
                             '(builtins.match "(" "a")', '(builtins.genList 1 2)', '(builtins.listToAttrs [ 1 ])',
                             '(builtins.compareVersions 1 "a")', '(builtins.catAttrs 1 [ ])', '(builtins.any 1 [ 1 ])',
                             '(builtins.partition (x: 1) [ 1 ])', '(builtins.parseDrvName 1)', '(builtins.substring (-1) 1 "a")',
                             '(builtins.genList (x: x) (-1))', '(builtins.elemAt [ 1 ] "0")', '(builtins.getAttr 1 { })',
                             '(builtins.removeAttrs { } 1)', '(builtins.mapAttrs 1 { a = 1; })', '(builtins.replaceStrings [ "a" ] [ ] "a")',
                             '(builtins.match "\\\\w" "a")', '(builtins.split "a{,2}" "a")', '(builtins.match "\\\\}" "}")'])
        if f == 'bad-coerce':
            return '(builtins.stringLength "${%s}")' % r.choice(['1', '{ }', '[ ]', 'null', 'true', '(x: x)'])
        return None

    # --------------------------------------------------------- generic
    def expr(self, ty, scope, depth):
        """An expression of type ty (a record dict for sets)."""
        if self.want_fault(0.08 if depth > 0 else 0.15):
            e = self.faulty(ty, scope, depth)
            if e is not None:
                # the overflow fault yields an integer; wrap it so the type fits
                if self.fault == 'overflow' and ty != INT:
                    return '(builtins.seq %s %s)' % (e, self.expr(ty, scope, 0))
                if self.fault in ('head-empty',) and ty != LINT:
                    return '(builtins.seq %s %s)' % (e, self.expr(ty, scope, 0))
                if self.fault in ('type-error', 'call-non-function', 'bad-coerce', 'div-zero'):
                    return '(builtins.seq %s %s)' % (e, self.expr(ty, scope, 0))
                return e
        r = self.r
        # variables
        if isinstance(ty, str):
            cands = scope.candidates(ty)
            if cands and self.chance(0.3 if depth > 0 else 0.6):
                return r.choice(cands)
        if depth > 0:
            c = r.random()
            if c < 0.08:
                return self.gen_let(ty, scope, depth)
            if c < 0.13:
                return '(if %s then %s else %s)' % (self.expr(BOOL, scope, depth - 1),
                                                    self.expr(ty, scope, depth - 1),
                                                    self.expr(ty, scope, depth - 1))
            if c < 0.16:
                return self.gen_with(ty, scope, depth)
            if c < 0.18:
                return '(assert %s; %s)' % (self.true_bool(scope), self.expr(ty, scope, depth - 1))
            if c < 0.21 and ty != FN:
                return self.gen_call(ty, scope, depth)
            if c < 0.23:
                return self.gen_select(ty, scope, depth)
            if c < 0.25:
                return '(builtins.%s %s %s)' % (r.choice(['seq', 'deepSeq']), self.expr(r.choice([INT, STR, LINT]), scope, depth - 1),
                                               self.expr(ty, scope, depth - 1))
            if c < 0.27:
                return self.gen_lazy(ty, scope, depth)
        if isinstance(ty, dict):
            return self.gen_set(ty, scope, depth)
        return getattr(self, 'gen_' + ty)(scope, depth)

    def set_compare(self, fields, op, scope, d):
        """Two sets compared.  Nix 2.8 compares their attributes in the
        order of the addresses of their names' symbols, modern Nix in the
        order of creation of the symbols: the comparison can stop at a
        different attribute, so no fault goes in there."""
        self.no_fault += 1
        e = '(%s %s %s)' % (self.gen_set(fields, scope, d), op, self.gen_set(fields, scope, d))
        self.no_fault -= 1
        return e

    def true_bool(self, scope):
        return self.r.choice(['true', '1 < 2', '"a" != "b"', 'builtins.isInt 3', '[ ] == [ ]', '!false'])

    def gen_lazy(self, ty, scope, depth):
        """Something that must not evaluate a failing part."""
        r = self.r
        bad = r.choice(['throw "lazy"', 'abort "lazy"', '{ }.nothere', '(1 + "x")', '(assert false; 1)', 'builtins.head [ ]'])
        c = r.randrange(5)
        if c == 0:
            v = self.fresh()
            return '(let %s = %s; in %s)' % (v, bad, self.expr(ty, scope, depth - 1))
        if c == 1:
            return '(builtins.elemAt [ %s (%s) ] 0)' % (self.expr(ty, scope, depth - 1), bad)
        if c == 2:
            return '({ %s = %s; %s = %s; }.%s)' % ('good', self.expr(ty, scope, depth - 1), 'bad', bad, 'good')
        if c == 3:
            return '((%s: %s) (%s))' % (self.fresh(), self.expr(ty, scope, depth - 1), bad)
        return '(if true then %s else %s)' % (self.expr(ty, scope, depth - 1), bad)

    def gen_let(self, ty, scope, depth):
        r = self.r
        if isinstance(ty, dict) and self.chance(0.3):
            # the same set (or list) value twice in the output: «repeated»
            v = self.fresh()
            inner = {n: t for n, t in ty.items()}
            shared = r.choice([self.record(2), LINT, LLINT])
            return '(let %s = %s; in %s)' % (v, self.expr(shared, scope, depth - 1),
                                             self.gen_set(inner, scope.bind({v: shared if isinstance(shared, str) else 'sharedset'}), depth - 1,
                                                          share=(v, shared)))
        n = r.randrange(1, 4)
        binds = []
        new = {}
        for i in range(n):
            v = self.fresh()
            t = r.choice([INT, INT, STR, BOOL, LINT, FN])
            # earlier bindings are visible (let is recursive; no cycles made)
            binds.append('%s = %s;' % (v, self.expr(t, scope.bind(new), depth - 1)))
            new[v] = t
        if self.chance(0.2):
            binds.append('%s = throw "unused binding";' % self.fresh())
        if self.chance(0.2) and scope.lex:
            inh = r.choice(list(scope.lex))
            if inh not in new:
                binds.append('inherit %s;' % inh)
        r.shuffle(binds)
        return '(let %s in %s)' % (' '.join(binds), self.expr(ty, scope.bind(new), depth - 1))

    def gen_with(self, ty, scope, depth):
        fields = self.record(2)
        body_scope = scope.with_(fields)
        return '(with %s; %s)' % (self.gen_set(fields, scope, depth - 1), self.expr(ty, body_scope, depth - 1))

    def gen_call(self, ty, scope, depth):
        """A lambda with formals applied to a set."""
        r = self.r
        names = [self.fresh() for _ in range(r.randrange(1, 4))]
        types = {n: r.choice([INT, STR, BOOL]) for n in names}
        formals = []
        args = []
        defaults = {}
        for n in names:
            if self.chance(0.4):
                # a default may use the earlier formals
                known = {m: types[m] for m in names[:names.index(n)]}
                defaults[n] = self.expr(types[n], scope.bind(known), 0)
                formals.append('%s ? %s' % (n, defaults[n]))
                if self.chance(0.5):
                    args.append('%s = %s;' % (n, self.expr(types[n], scope, depth - 1)))
            else:
                formals.append(n)
                args.append('%s = %s;' % (n, self.expr(types[n], scope, depth - 1)))
        ellipsis = self.chance(0.3)
        if ellipsis:
            formals.append('...')
            if self.chance(0.5):
                args.append('extra = %s;' % self.expr(INT, scope, 0))
        at = self.fresh() if self.chance(0.25) else None
        inner = scope.bind(types)
        if at:
            inner = inner.bind({at: 'argset'})
        body = self.expr(ty, inner, depth - 1)
        if at and self.chance(0.5):
            body = '(builtins.seq (builtins.attrNames %s) %s)' % (at, body)
        lam = '{ %s }' % ', '.join(formals)
        if at:
            lam = r.choice(['%s@%s' % (at, lam), '%s@%s' % (lam, at)])
        return '((%s: %s) { %s })' % (lam, body, ' '.join(args))

    def gen_select(self, ty, scope, depth):
        r = self.r
        fields = self.record(3)
        name = r.choice(list(fields))
        if isinstance(ty, str) and ty in SCALARS + [LINT, LSTR, LLINT, PATH]:
            fields[name] = ty
            s = self.gen_set(fields, scope, depth - 1)
            if self.chance(0.3):
                return '(%s.%s or %s)' % (s, attr(name), self.expr(ty, scope, 0))
            if self.chance(0.2):
                return '(%s.nothere or %s)' % (s, self.expr(ty, scope, depth - 1))
            if self.chance(0.2):
                return '(%s.${"%s"})' % (s, name)
            return '(%s).%s' % (s, attr(name))
        return self.expr(ty, scope, depth - 1)

    def record(self, maxn):
        r = self.r
        names = r.sample(ATTR_NAMES, r.randrange(1, maxn + 1))
        return {n: r.choice([INT, INT, STR, BOOL, LINT, NULL, LSTR, LLINT, FN, PATH]) for n in names}

    # ----------------------------------------------------------- types
    def gen_null(self, scope, depth):
        return 'null'

    def gen_int(self, scope, depth):
        r = self.r
        if depth <= 0:
            c = r.random()
            if c < 0.8:
                return str(r.randrange(0, 20))
            if c < 0.9:
                return '(-%d)' % r.randrange(1, 20)
            return str(r.randrange(100, 100000))
        d = depth - 1
        c = r.randrange(24)
        if c == 0:
            return '(%s + %s)' % (self.expr(INT, scope, d), self.expr(INT, scope, d))
        if c == 1:
            return '(%s - %s)' % (self.expr(INT, scope, d), self.expr(INT, scope, d))
        if c == 2:
            return '(%s * %d)' % (self.expr(INT, scope, d), r.randrange(-3, 10))
        if c == 3:
            return '(%s / %d)' % (self.expr(INT, scope, d), r.choice([1, 2, 3, -2, 7]))
        if c == 4:
            return '(builtins.length %s)' % self.expr(r.choice([LINT, LSTR]), scope, d)
        if c == 5:
            return '(builtins.stringLength %s)' % self.expr(STR, scope, d)
        if c == 6:
            return "(builtins.foldl' (acc: e: acc + e) %s %s)" % (self.expr(INT, scope, d), self.expr(LINT, scope, d))
        if c == 7:
            return '(builtins.%s %s %s)' % (r.choice(['bitAnd', 'bitOr', 'bitXor']), self.expr(INT, scope, d), self.expr(INT, scope, d))
        if c == 8:
            return '(%s %s)' % (self.expr(FN, scope, d), self.expr(INT, scope, d))
        if c == 9:
            return '(builtins.head (%s ++ [ %s ]))' % (self.expr(LINT, scope, d), self.expr(INT, scope, d))
        if c == 10:
            return '(builtins.elemAt [ %s %s ] %d)' % (self.expr(INT, scope, d), self.expr(INT, scope, d), r.randrange(2))
        if c == 11:
            return '(builtins.%s %s %s)' % (r.choice(['add', 'sub', 'mul']), self.expr(INT, scope, d), num(r.randrange(-5, 6)))
        if c == 12:
            return '(-%s)' % self.expr(INT, scope, d)
        if c == 13:
            return '(builtins.length (builtins.attrNames %s))' % self.gen_set(self.record(3), scope, d)
        if c == 14:
            return '(builtins.div %s %s)' % (self.expr(INT, scope, d), num(r.choice([1, 3, -3, 5])))
        if c == 15:
            return '((builtins.tryEval %s).value)' % self.expr(INT, scope, d)
        if c == 16:
            return '({ __functor = self: x: x + self.k; k = %s; } %s)' % (self.expr(INT, scope, d), self.expr(INT, scope, d))
        if c == 17:
            return "(builtins.foldl' builtins.add 0 (builtins.genList (i: i * %d) %d))" % (r.randrange(5), r.randrange(6))
        if c == 18:
            return ('(builtins.length (builtins.genericClosure { startSet = [ { key = %s; } ]; '
                    'operator = x: if x.key > 0 && x.key < 40 then [ { key = x.key - 1; } { key = x.key / 2; } ] else [ ]; }))'
                    % self.expr(INT, scope, d))
        if c == 19:
            return '(builtins.stringLength (builtins.toXML %s))' % self.expr(r.choice([INT, STR, LINT, LSTR]), scope, d)
        if c == 20:
            # JSON both ways (integers only: float formatting differs)
            return '(builtins.fromJSON (builtins.toJSON %s))' % self.expr(INT, scope, d)
        if c == 21:
            return '(builtins.compareVersions %s %s)' % (self.version(scope, d), self.version(scope, d))
        if c == 22:
            return '(builtins.length (builtins.split %s %s))' % (r.choice(['"a"', '"(b)"', '"[ -]"', '"(x)|(y)"', '""']), self.expr(STR, scope, d))
        return self.leaf_int(scope)

    def leaf_int(self, scope):
        cands = scope.candidates(INT)
        if cands and self.chance(0.5):
            return self.r.choice(cands)
        return str(self.r.randrange(0, 30))

    def gen_bool(self, scope, depth):
        r = self.r
        if depth <= 0:
            return r.choice(['true', 'false'])
        d = depth - 1
        c = r.randrange(20)
        if c == 0:
            return '(%s %s %s)' % (self.expr(INT, scope, d), r.choice(['<', '<=', '>', '>=', '==', '!=']), self.expr(INT, scope, d))
        if c == 1:
            return '(%s %s %s)' % (self.expr(STR, scope, d), r.choice(['<', '<=', '>', '>=', '==', '!=']), self.expr(STR, scope, d))
        if c == 2:
            return '(%s %s %s)' % (self.expr(LINT, scope, d), r.choice(['<', '<=', '>', '>=', '==', '!=']), self.expr(LINT, scope, d))
        if c == 3:
            return '(%s %s %s)' % (self.expr(BOOL, scope, d), r.choice(['&&', '||', '->', '==', '!=']), self.expr(BOOL, scope, d))
        if c == 4:
            return '(!%s)' % self.expr(BOOL, scope, d)
        if c == 5:
            fields = self.record(3)
            path = r.choice(list(fields) + ['nothere', 'a.b', '"q"'])
            return '(%s ? %s)' % (self.gen_set(fields, scope, d), attr(path) if '.' not in path and '"' not in path else path)
        if c == 6:
            t = r.choice([INT, STR, BOOL, LINT, NULL])
            return '(builtins.%s %s)' % (r.choice(['isInt', 'isString', 'isBool', 'isList', 'isAttrs', 'isNull', 'isFunction', 'isFloat', 'isPath']),
                                         self.expr(t, scope, d))
        if c == 7:
            fields = self.record(3)
            return '(builtins.hasAttr "%s" %s)' % (r.choice(list(fields) + ['zz']), self.gen_set(fields, scope, d))
        if c == 8:
            fields = self.record(2)
            return self.set_compare(fields, '==', scope, d)
        if c == 9:
            return '(builtins.lessThan %s %s)' % (self.expr(INT, scope, d), self.expr(INT, scope, d))
        if c == 10:
            return '(builtins.tryEval %s).success' % self.expr(r.choice([INT, STR]), scope, d)
        if c == 11:
            return '(%s == %s)' % (self.expr(r.choice([INT, STR, LINT, NULL]), scope, d), self.expr(r.choice([INT, STR, LINT, NULL]), scope, d))
        if c == 16:
            return '(builtins.tryEval %s).success' % r.choice(['(throw "t")', '(assert false; 1)', '(assert 1 == 2; 1)', '{ }', '1'])
        if c == 17:
            fields = self.record(3)
            fields['zb'] = BOOL
            return '(builtins.getAttr "zb" %s)' % self.gen_set(fields, scope, d)
        if c == 12:
            return '(builtins.typeOf %s == "%s")' % (self.expr(r.choice([INT, STR, LINT]), scope, d), r.choice(['int', 'string', 'list']))
        if c == 13:
            t = r.choice([LINT, LLINT, STR, INT])
            return '(builtins.lessThan %s %s)' % (self.expr(t, scope, d), self.expr(t, scope, d))
        if c == 14:
            t = r.choice([LLINT, FN, PATH, self.record(2)])
            if isinstance(t, dict):
                return self.set_compare(t, r.choice(['==', '!=']), scope, d)
            return '(%s %s %s)' % (self.expr(t, scope, d), r.choice(['==', '!=']), self.expr(t, scope, d))
        if c == 15:
            t = r.choice([LLINT, PATH])
            return '(%s %s %s)' % (self.expr(t, scope, d), r.choice(['<', '<=', '>', '>=']), self.expr(t, scope, d))
        if c == 18:
            e = scope.bind({'e': INT})
            return r.choice(['(builtins.elem %s %s)' % (self.expr(INT, scope, d), self.expr(LINT, scope, d)),
                             '(builtins.%s (e: %s) %s)' % (r.choice(['any', 'all']), self.expr(BOOL, e, d), self.expr(LINT, scope, d))])
        if c == 19:
            return '(builtins.match %s %s == null)' % (r.choice(['"a.*"', '"(.*)b"', '"[0-9]+"', '""', '".*"', '"x|y"', '"[[:alpha:]]+"', '"(a|ab)(c|bcd)?.*"', '"\\\\..*[{]"']), self.expr(STR, scope, d))
        return r.choice(['true', 'false'])

    def str_lit(self):
        r = self.r
        parts = [r.choice(STR_ATOMS) for _ in range(r.randrange(0, 3))]
        return '"%s"' % ''.join(parts)

    def gen_str(self, scope, depth):
        r = self.r
        if depth <= 0:
            return self.str_lit()
        d = depth - 1
        c = r.randrange(16)
        if c == 0:
            return '(%s + %s)' % (self.expr(STR, scope, d), self.expr(STR, scope, d))
        if c == 1:
            return '"%s${%s}%s"' % (r.choice(STR_ATOMS), self.expr(STR, scope, d), r.choice(STR_ATOMS))
        if c == 2:
            return '(toString %s)' % self.expr(r.choice([INT, BOOL, LINT, LSTR, NULL, STR]), scope, d)
        if c == 3:
            return '(builtins.substring %d %s %s)' % (r.randrange(0, 5), num(r.randrange(-1, 6)), self.expr(STR, scope, d))
        if c == 4:
            return '(builtins.concatStringsSep %s %s)' % (self.str_lit(), self.expr(LSTR, scope, d))
        if c == 5:
            return '(builtins.replaceStrings [ %s ] [ %s ] %s)' % (self.str_lit(), self.str_lit(), self.expr(STR, scope, d))
        if c == 6:
            return '(builtins.typeOf %s)' % self.expr(r.choice([INT, STR, BOOL, LINT, NULL, FN]), scope, d)
        if c == 7:
            return "''\n  %s ${%s}\n    %s\n''" % (r.choice(['line', 'a b', "it's"]), self.expr(STR, scope, d), r.choice(['x', 'y$', "''$"]))
        if c == 8:
            return '"n=${toString %s}"' % self.expr(INT, scope, d)
        if c == 9:
            return '(builtins.head (%s ++ [ %s ]))' % (self.expr(LSTR, scope, d), self.str_lit())
        if c == 10:
            return '(toString { __toString = self: %s; })' % self.expr(STR, scope, d)
        if c == 11:
            return '(builtins.toJSON %s)' % self.expr(r.choice([INT, STR, BOOL, NULL, LINT, LSTR, self.record(3)]), scope, d)
        if c == 12:
            return '(builtins.hashString "%s" %s)' % (r.choice(['md5', 'sha1', 'sha256', 'sha512']), self.expr(STR, scope, d))
        if c == 13:
            return '(builtins.parseDrvName %s).%s' % (self.version(scope, d), r.choice(['name', 'version']))
        return self.str_lit()

    def version(self, scope, depth):
        """A string that looks like a version or a package name."""
        r = self.r
        if depth > 0 and self.chance(0.2):
            return self.expr(STR, scope, depth - 1)
        return '"%s"' % r.choice(['1.0', '1.0.1', '1.0pre1', '2', '1.a', '10.2-rc1', 'foo-1.2', 'foo-bar-3', 'x', '', '1..2', '0.0.0'])

    def gen_lint(self, scope, depth):
        r = self.r
        if depth <= 0:
            return '[ %s ]' % ' '.join(self.expr(INT, scope, 0) for _ in range(r.randrange(0, 4)))
        d = depth - 1
        c = r.randrange(14)
        if c == 0:
            return '(%s ++ %s)' % (self.expr(LINT, scope, d), self.expr(LINT, scope, d))
        if c == 1:
            return '(map %s %s)' % (self.expr(FN, scope, d), self.expr(LINT, scope, d))
        if c == 2:
            return '(builtins.filter (e: %s) %s)' % (self.expr(BOOL, scope.bind({'e': INT}), d), self.expr(LINT, scope, d))
        if c == 3:
            # modern Nix forces the function even for 0 elements, 2.8 does not:
            # no fault in it
            self.no_fault += 1
            fn = self.expr(FN, scope, d)
            self.no_fault -= 1
            return '(builtins.genList %s %d)' % (fn, r.randrange(0, 5))
        if c == 4:
            return '(builtins.sort %s %s)' % (r.choice(['builtins.lessThan', '(p: q: p > q)', '(p: q: false)']), self.expr(LINT, scope, d))
        if c == 5:
            return '(builtins.tail ([ %s ] ++ %s))' % (self.expr(INT, scope, d), self.expr(LINT, scope, d))
        if c == 6:
            return '(builtins.concatLists [ %s %s ])' % (self.expr(LINT, scope, d), self.expr(LINT, scope, d))
        if c == 7:
            fields = {n: INT for n in r.sample(ATTR_NAMES, r.randrange(0, 4))}
            return '(builtins.attrValues %s)' % self.gen_set(fields, scope, d)
        if c == 8:
            return '[ %s ]' % ' '.join(self.expr(INT, scope, d) for _ in range(r.randrange(0, 4)))
        if c == 9:
            return '(builtins.concatMap (e: [ e %s ]) %s)' % (self.expr(INT, scope.bind({'e': INT}), d), self.expr(LINT, scope, d))
        if c == 10:
            return '(builtins.partition (e: %s) %s).%s' % (self.expr(BOOL, scope.bind({'e': INT}), d), self.expr(LINT, scope, d), r.choice(['right', 'wrong']))
        if c == 11:
            return '(builtins.fromJSON (builtins.toJSON %s))' % self.expr(LINT, scope, d)
        return '[ %s ]' % ' '.join(self.expr(INT, scope, 0) for _ in range(r.randrange(0, 4)))

    def gen_llint(self, scope, depth):
        """A list of lists of integers (list comparison, sort, concatLists)."""
        r = self.r
        if depth <= 0:
            return '[ %s ]' % ' '.join(self.gen_lint(scope, 0) for _ in range(r.randrange(0, 4)))
        d = depth - 1
        c = r.randrange(7)
        if c == 0:
            return '(builtins.sort builtins.lessThan %s)' % self.expr(LLINT, scope, d)
        if c == 1:
            return '(builtins.sort (p: q: p > q) %s)' % self.expr(LLINT, scope, d)
        if c == 2:
            return '(map (l: l ++ [ %s ]) %s)' % (self.expr(INT, scope, d), self.expr(LLINT, scope, d))
        if c == 3:
            return '(builtins.genList (i: builtins.genList (j: i * j) i) %d)' % r.randrange(5)
        return '[ %s ]' % ' '.join(self.expr(LINT, scope, d) for _ in range(r.randrange(0, 4)))

    def gen_path(self, scope, depth):
        r = self.r
        base = r.choice(['./p', './p/q', './.', './a/../b', './p-1.x'])
        if depth > 0 and self.chance(0.4):
            return '(%s + %s)' % (base, r.choice(['"/s"', '"suffix"', '"/a/b"']))
        return base

    def gen_lstr(self, scope, depth):
        r = self.r
        if depth <= 0:
            return '[ %s ]' % ' '.join(self.str_lit() for _ in range(r.randrange(0, 4)))
        d = depth - 1
        c = r.randrange(8)
        if c == 0:
            return '(builtins.attrNames %s)' % self.gen_set(self.record(4), scope, d)
        if c == 1:
            return '(map toString %s)' % self.expr(LINT, scope, d)
        if c == 2:
            return '(%s ++ %s)' % (self.expr(LSTR, scope, d), self.expr(LSTR, scope, d))
        if c == 3:
            return '(builtins.sort builtins.lessThan %s)' % self.expr(LSTR, scope, d)
        return '[ %s ]' % ' '.join(self.expr(STR, scope, d) for _ in range(r.randrange(0, 4)))

    def gen_fn(self, scope, depth):
        r = self.r
        if depth <= 0:
            return r.choice(['(x: x)', '(x: x + 1)', '(builtins.add 2)', '(builtins.mul 3)', '(x: 0)'])
        d = depth - 1
        c = r.randrange(6)
        v = self.fresh()
        if c == 0:
            return '(%s: %s)' % (v, self.expr(INT, scope.bind({v: INT}), d))
        if c == 1:
            return '(builtins.%s %s)' % (r.choice(['add', 'sub', 'mul', 'bitXor']), self.expr(INT, scope, d))
        if c == 2:
            # composition
            return '(%s: %s (%s %s))' % (v, self.expr(FN, scope, d), self.expr(FN, scope, d), v)
        if c == 3:
            return '{ __functor = self: %s: %s * 2; }' % (v, v)
        return '(%s: %s)' % (v, self.expr(INT, scope.bind({v: INT}), d))

    def gen_set(self, fields, scope, depth, share=None):
        """An attribute set with exactly the given fields (name -> type)."""
        r = self.r
        if share:
            # two extra attributes referring to the same shared value
            v, _ = share
            fields = dict(fields)
            binds = ['%s = %s;' % (attr(n), self.expr(t, scope, max(depth - 1, 0))) for n, t in fields.items()]
            binds += ['sh1 = %s;' % v, 'sh2 = [ %s %s ];' % (v, v)]
            r.shuffle(binds)
            return '{ %s }' % ' '.join(binds)
        d = max(depth - 1, 0)
        c = r.randrange(10)
        names = list(fields)
        if c == 0 and names:
            # rec set: later fields may use earlier ones.  All its names are
            # in scope (and hide `with` attributes) from the start.
            inner = scope.bind({n: 'recfield' for n in names})
            known = {}
            binds = []
            for n in names:
                binds.append('%s = %s;' % (attr(n), self.expr(fields[n], inner.bind(known), d)))
                known[n] = fields[n]
            return 'rec { %s }' % ' '.join(binds)
        if c == 1 and len(names) >= 2:
            # a // b with the right side winning on common names
            cut = r.randrange(1, len(names))
            left = {n: fields[n] for n in names[:cut]}
            left['zlost'] = INT
            right = {n: fields[n] for n in names[cut:]}
            lset = self.gen_set(left, scope, d)
            rset = self.gen_set(right, scope, d)
            return '(builtins.removeAttrs (%s // %s) [ "zlost" ])' % (lset, rset)
        if c == 2 and names:
            # inherit (e) / inherit
            src = {n: fields[n] for n in names}
            return '(let src = %s; in { inherit (src) %s; })' % (self.gen_set(src, scope, d), ' '.join(attr(n) for n in names))
        if c == 3 and names:
            return '(builtins.listToAttrs [ %s ])' % ' '.join('{ name = "%s"; value = %s; }' % (n, self.expr(fields[n], scope, d)) for n in names)
        if c == 4 and names and all(fields[n] == INT for n in names):
            return '(builtins.mapAttrs (name: v: v * 2) %s)' % self.gen_set(fields, scope, d)
        if c == 5 and names:
            more = dict(fields)
            more['zextra'] = INT
            keep = ' '.join('%s = %s;' % (attr(n), r.choice(['null', '0', 'throw "not forced"'])) for n in names)
            return '(builtins.intersectAttrs { %s } %s)' % (keep, self.gen_set(more, scope, d))
        if c == 6 and names:
            return '(builtins.mapAttrs (name: v: v) %s)' % self.gen_set(fields, scope, d)
        binds = []
        for n in names:
            if self.chance(0.15):
                binds.append('${"%s"} = %s;' % (n, self.expr(fields[n], scope, d)))
            elif self.chance(0.1):
                binds.append('"${%s}" = %s;' % ('"%s"' % n, self.expr(fields[n], scope, d)))
            else:
                binds.append('%s = %s;' % (attr(n), self.expr(fields[n], scope, d)))
        if self.chance(0.15):
            # nested attribute paths merge into one set
            binds.append('nest.%s = %s;' % (attr(r.choice(ATTR_NAMES)), self.expr(INT, scope, d)))
            binds.append('nest.zz = %s;' % self.expr(STR, scope, d))
            fields = dict(fields)
        r.shuffle(binds)
        return '{ %s }' % ' '.join(binds)

    # ------------------------------------------------------------- file
    def gen_file(self):
        r = self.r
        scope = Scope()
        c = r.random()
        if c < 0.35:
            return self.expr(self.record(4), scope, self.max_depth)
        if c < 0.5:
            return '[ %s ]' % ' '.join(self.expr(r.choice([INT, STR, BOOL, LINT, LLINT, PATH, FN]), scope, self.max_depth - 1)
                                       for _ in range(r.randrange(1, 4)))
        return self.expr(r.choice([INT, INT, STR, BOOL, LINT, LSTR]), scope, self.max_depth)


def generate(seed, index):
    r = random.Random('nixe-gen-eval:%d:%d' % (seed, index))
    c = r.random()
    kind = 'valid' if c < 0.8 else r.choice(FAULTS)
    g = Gen(r, None if kind == 'valid' else kind)
    text = g.gen_file() + '\n'
    if kind != 'valid' and not g.fault_done:
        # the fault found no place yet: put it at the top
        g.fault_done = True
        e = g.faulty(INT, Scope(), 0)
        text = '[ %s %s ]\n' % (e, text.rstrip('\n'))
    return text.encode('utf-8'), kind


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
        data, kind = generate(args.seed, i)
        name = '%04d.nix' % i
        with open(os.path.join(args.out, name), 'wb') as f:
            f.write(data)
        manifest.append('%s %s\n' % (name, kind))
    with open(os.path.join(args.out, 'MANIFEST'), 'w') as f:
        f.writelines(manifest)
    return 0


if __name__ == '__main__':
    sys.exit(main())
