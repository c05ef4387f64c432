/* regex.c — builtins.match and builtins.split: POSIX extended regular
 * expressions (CppNix uses std::regex::extended), each distinct pattern
 * compiled once. */
#define _GNU_SOURCE /* memmem */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/builtins/regex_nfa.h"

/* A compiled pattern, and for match's test "^(pattern)$" compiled with
 * REG_NOSUB (has_whole): it says whether the whole string matches without
 * computing submatches, which is most of regexec's cost. */
/* The pattern's syntax tree, kept only for patterns whose captures need
 * libstdc++'s empty last iteration (see fix_captures). */
enum { RN_CHAR, RN_BOL, RN_EOL, RN_GROUP, RN_CAT, RN_ALT, RN_REP };
typedef struct re_node {
    uint8_t kind;
    int group;       /* RN_GROUP: its number */
    int min, max;    /* RN_REP: bounds, max -1 for none */
    int kid, next;   /* first child, next sibling: node indexes, -1 for none */
} re_node;

typedef struct cached_re {
    char *pattern;
    size_t ngroups;  /* capture groups, not counting group 0 */
    regex_t re;      /* only if has_re */
    bool has_re;     /* false: too big for glibc (see glibc_nodes) */
    regex_t whole;
    bool has_whole;
    nx_nfa *nfa;     /* CppNix's captures; NULL: glibc's (and fix_captures) */
    re_node *nodes;  /* NULL: glibc's captures are CppNix's */
    int *fixups;     /* RN_GROUP nodes repeated without bound, innermost first */
    size_t nfixups;
} cached_re;

static cached_re *cache;
static size_t ncache, capcache;

/* Whether libstdc++'s std::regex (extended syntax), which CppNix uses,
 * rejects a pattern that glibc's regcomp accepts: a backslash outside a
 * bracket expression before anything but ^ $ \ . * + ? ( ) [ { | (glibc
 * takes \w \s \b \n \1 … as extensions or back-references, and an
 * escaped ordinary character as itself), or a bound without a minimum
 * ("{,n}").  Inside brackets a backslash is an ordinary character in both. */
static bool stdregex_rejects(const char *p)
{
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '[') {
            const char *q = nx_regex_skip_bracket(p + i);
            if (!q) return false; /* unterminated: regcomp rejects it */
            i = (size_t)(q - p) - 1;
        } else if (p[i] == '\\') {
            if (!p[i + 1] || !strchr("^$\\.*+?()[{|", p[i + 1])) return true;
            i++;
        } else if (p[i] == '{' && p[i + 1] == ',') {
            return true;
        }
    }
    return false;
}

/* A small parser of the ERE syntax regcomp and stdregex_rejects have
 * accepted, building the tree fix_captures walks.  Recursion is bounded by
 * the pattern's nesting, capped at RE_MAX_DEPTH (deeper patterns keep
 * glibc's captures). */
#define RE_MAX_DEPTH 200

typedef struct re_parser {
    const char *p;
    re_node *nodes;
    size_t n, cap;
    int *fixups;
    size_t nfix, capfix;
    int groups;
    bool too_deep;
} re_parser;

static int re_new(re_parser *ps, uint8_t kind)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->nodes = nx_xrealloc(ps->nodes, ps->cap * sizeof *ps->nodes);
    }
    ps->nodes[ps->n] = (re_node){ .kind = kind, .group = 0, .min = 0, .max = 0, .kid = -1, .next = -1 };
    return (int)ps->n++;
}

/* Appends child to parent's children. */
static void re_adopt(re_parser *ps, int parent, int child)
{
    int *at = &ps->nodes[parent].kid;
    while (*at >= 0) at = &ps->nodes[*at].next;
    *at = child;
}

static int re_alt(re_parser *ps, int depth);

static int re_atom(re_parser *ps, int depth)
{
    char c = *ps->p;
    if (c == '(') {
        ps->p++;
        int g = re_new(ps, RN_GROUP);
        ps->nodes[g].group = ++ps->groups;
        int body = re_alt(ps, depth + 1);
        re_adopt(ps, g, body);
        if (*ps->p == ')') ps->p++;
        return g;
    }
    if (c == '^') { ps->p++; return re_new(ps, RN_BOL); }
    if (c == '$') { ps->p++; return re_new(ps, RN_EOL); }
    if (c == '[') {
        /* It consumes one character. */
        const char *q = nx_regex_skip_bracket(ps->p);
        ps->p = q ? q : ps->p + strlen(ps->p);
        return re_new(ps, RN_CHAR);
    }
    if (c == '\\' && ps->p[1]) ps->p++;
    ps->p++;
    return re_new(ps, RN_CHAR);
}

/* A concatenation of quantified atoms, up to '|', ')' or the end. */
static int re_cat(re_parser *ps, int depth)
{
    int cat = re_new(ps, RN_CAT);
    while (*ps->p && *ps->p != '|' && *ps->p != ')') {
        int a = re_atom(ps, depth);
        for (;;) {
            int min, max;
            /* A '{' that is no bound is an ordinary character, as glibc reads it. */
            if (nx_regex_quantifier(&ps->p, &min, &max) <= 0) break;
            if (max < 0 && ps->nodes[a].kind == RN_GROUP) {
                if (ps->nfix == ps->capfix) {
                    ps->capfix = ps->capfix ? ps->capfix * 2 : 8;
                    ps->fixups = nx_xrealloc(ps->fixups, ps->capfix * sizeof *ps->fixups);
                }
                ps->fixups[ps->nfix++] = a;
            }
            int r = re_new(ps, RN_REP);
            ps->nodes[r].min = min;
            ps->nodes[r].max = max;
            re_adopt(ps, r, a);
            a = r;
        }
        re_adopt(ps, cat, a);
    }
    return cat;
}

static int re_alt(re_parser *ps, int depth)
{
    if (depth > RE_MAX_DEPTH) {
        ps->too_deep = true;
        ps->p += strlen(ps->p);
        return re_new(ps, RN_CAT);
    }
    int alt = re_new(ps, RN_ALT);
    re_adopt(ps, alt, re_cat(ps, depth));
    while (*ps->p == '|') {
        ps->p++;
        re_adopt(ps, alt, re_cat(ps, depth));
    }
    return alt;
}

/* Whether node n matches the empty string at position p of a subject of
 * len bytes (^ only at 0: split's later searches are REG_NOTBOL, as
 * std::regex_iterator's match_prev_avail). */
static bool re_nullable(const re_node *nodes, int n, size_t p, size_t len)
{
    const re_node *x = &nodes[n];
    switch (x->kind) {
    case RN_CHAR: return false;
    case RN_BOL: return p == 0;
    case RN_EOL: return p == len;
    case RN_GROUP: return re_nullable(nodes, x->kid, p, len);
    case RN_CAT:
        for (int k = x->kid; k >= 0; k = nodes[k].next)
            if (!re_nullable(nodes, k, p, len)) return false;
        return true;
    case RN_ALT:
        for (int k = x->kid; k >= 0; k = nodes[k].next)
            if (re_nullable(nodes, k, p, len)) return true;
        return false;
    default: /* RN_REP */
        return x->min == 0 || x->max == 0 || re_nullable(nodes, x->kid, p, len);
    }
}

/* Records the captures of node n matching empty at p along the path
 * libstdc++'s depth-first executor tries first: the first alternative
 * that can, a repetition's body once more when it can (greedy). */
static void re_empty_path(const re_node *nodes, int n, size_t p, size_t len, regmatch_t *m)
{
    const re_node *x = &nodes[n];
    switch (x->kind) {
    case RN_GROUP:
        m[x->group].rm_so = m[x->group].rm_eo = (regoff_t)p;
        re_empty_path(nodes, x->kid, p, len, m);
        return;
    case RN_CAT:
        for (int k = x->kid; k >= 0; k = nodes[k].next) re_empty_path(nodes, k, p, len, m);
        return;
    case RN_ALT:
        for (int k = x->kid; k >= 0; k = nodes[k].next)
            if (re_nullable(nodes, k, p, len)) {
                re_empty_path(nodes, k, p, len, m);
                return;
            }
        return;
    case RN_REP:
        if (x->max != 0 && re_nullable(nodes, x->kid, p, len)) re_empty_path(nodes, x->kid, p, len, m);
        return;
    default: return;
    }
}

/* CppNix's captures from glibc's.  libstdc++'s executor (depth-first,
 * greedy) enters a repeated group once more where its last iteration
 * ended, and up to twice at one position, so when the group's body can
 * match empty there the captures are those of that empty iteration:
 * match "(a*)*" "aa" is [ "" ] where POSIX (glibc) keeps the last
 * non-empty one, [ "aa" ].  Applied innermost group first, the order the
 * iterations end in.  Only for groups repeated without bound (*, +,
 * {n,}): a bounded repetition may have used all its copies. */
static void fix_captures(const cached_re *c, size_t len, regmatch_t *m)
{
    for (size_t i = 0; i < c->nfixups; i++) {
        const re_node *g = &c->nodes[c->fixups[i]];
        if (m[g->group].rm_so < 0) continue;
        size_t e = (size_t)m[g->group].rm_eo;
        if (re_nullable(c->nodes, g->kid, e, len)) re_empty_path(c->nodes, c->fixups[i], e, len, m);
    }
}

/* Builds c's tree when the pattern has a group repeated without bound
 * whose body can match empty somewhere. */
static void parse_fixups(cached_re *c)
{
    c->nodes = NULL;
    c->fixups = NULL;
    c->nfixups = 0;
    if (!strchr(c->pattern, '*') && !strchr(c->pattern, '+') && !strchr(c->pattern, '{')) return;
    re_parser ps = { .p = c->pattern };
    re_alt(&ps, 0);
    bool any = false;
    for (size_t i = 0; i < ps.nfix && !ps.too_deep; i++) {
        /* Nullable at some position: at 0 of an empty subject ^ and $
         * both hold. */
        if (re_nullable(ps.nodes, ps.nodes[ps.fixups[i]].kid, 0, 0)) any = true;
    }
    if (!any) {
        free(ps.nodes);
        free(ps.fixups);
        return;
    }
    c->nodes = ps.nodes;
    c->fixups = ps.fixups;
    c->nfixups = ps.nfix;
}

/* Most nodes glibc_nodes may count for a pattern handed to regcomp.
 * regcomp's time grows faster than the nodes: a chain of nullable copies
 * makes its epsilon closures quadratic, nested loops worse.  Measured
 * (docs/builtins.md): "((a*)*){50}" (251 nodes) 0.03 s, 4.5 MB;
 * "((a*)*){250}" (1,251) 1.7 s; 12 nested "(a)+" (~4,000) 1 s, 26 MB,
 * 16 nested 18 s, 550 MB. */
#define GLIBC_MAX_NODES 256

/* Above any count that matters; small enough that a count times a bound
 * (< 2^20) cannot overflow. */
#define NODES_CAP ((uint64_t)1 << 40)

/* The nodes glibc's regcomp builds for pattern, roughly: one per atom,
 * group, alternative and quantifier, where glibc copies the operand of
 * each quantifier — e+ as ee*, e{n,} as n copies and e*, e{n,m} as m
 * copies — so nesting multiplies.  Capped at NODES_CAP.  A scan with a
 * stack of open groups (no recursion: any nesting). */
static uint64_t glibc_nodes(const char *p)
{
    /* Per open group: its finished part and its last term, which a
     * quantifier copies. */
    typedef struct { uint64_t done, last; } level;
    level *lv = nx_xmalloc(8 * sizeof *lv);
    size_t d = 0, cap = 8;
    lv[0] = (level){ 0, 0 };
    while (*p) {
        int min, max;
        const char *q = p;
        int k = nx_regex_quantifier(&q, &min, &max);
        if (k > 0) {
            uint64_t copies = max < 0 ? (uint64_t)min + 1 : max > 0 ? (uint64_t)max : 1;
            lv[d].last = lv[d].last * copies + 1;
            if (lv[d].last > NODES_CAP) lv[d].last = NODES_CAP;
            p = q;
            continue;
        }
        lv[d].done += lv[d].last;
        if (lv[d].done > NODES_CAP) lv[d].done = NODES_CAP;
        lv[d].last = 0;
        if (*p == '(') {
            if (++d == cap) lv = nx_xrealloc(lv, (cap *= 2) * sizeof *lv);
            lv[d] = (level){ 0, 0 };
            p++;
        } else if (*p == ')' && d > 0) {
            uint64_t g = lv[d].done + 1;
            lv[--d].last = g;
            p++;
        } else if (*p == '|') {
            lv[d].done++;
            p++;
        } else {
            lv[d].last = 1;
            q = *p == '[' ? nx_regex_skip_bracket(p) : NULL;
            p = q ? q : p + (*p == '\\' && p[1] ? 2 : 1);
        }
    }
    uint64_t n = 0;
    for (size_t i = 0; i <= d; i++) n += lv[i].done + lv[i].last;
    free(lv);
    return n;
}

/* The cache entry of pattern (compiled on first use), or NULL with an
 * error set: CppNix's, "invalid regular expression" for what std::regex
 * rejects, "memory limit exceeded" past its state limit (error_space).
 * glibc's regcomp only sees patterns of at most GLIBC_MAX_NODES nodes:
 * validating, bracket sets, split's start positions and the fallback
 * matcher; a bigger one is the nfa's alone, which must take it. */
static cached_re *compile_entry(nx_vm *vm, const char *pattern)
{
    for (size_t i = 0; i < ncache; i++)
        if (strcmp(cache[i].pattern, pattern) == 0) return &cache[i];
    if (ncache == capcache) {
        capcache = capcache ? capcache * 2 : 16;
        cache = nx_xrealloc(cache, capcache * sizeof *cache);
    }
    cached_re *c = &cache[ncache];
    if (stdregex_rejects(pattern)) {
        nx_builtin_fail(vm, "invalid regular expression '%s'", pattern);
        return NULL;
    }
    int verdict;
    c->nfa = nx_nfa_compile(pattern, &verdict);
    if (verdict == NX_NFA_TOO_BIG) {
        nx_builtin_fail(vm, "memory limit exceeded by regular expression '%s'", pattern);
        return NULL;
    }
    c->has_re = glibc_nodes(pattern) <= GLIBC_MAX_NODES;
    if (c->has_re ? regcomp(&c->re, pattern, REG_EXTENDED) != 0 : !c->nfa) {
        nx_nfa_free(c->nfa);
        nx_builtin_fail(vm, "invalid regular expression '%s'", pattern);
        return NULL;
    }
    ncache++;
    c->pattern = nx_xstrndup(pattern, strlen(pattern));
    c->ngroups = c->has_re ? c->re.re_nsub : nx_nfa_groups(c->nfa);
    if (c->nfa && nx_nfa_groups(c->nfa) != c->ngroups) {
        nx_nfa_free(c->nfa);
        c->nfa = NULL;
    }
    c->nodes = NULL;
    c->fixups = NULL;
    c->nfixups = 0;
    c->has_whole = false;
    if (!c->has_re) return c;
    parse_fixups(c);
    /* The anchored form only where wrapping cannot change the meaning: no
     * back-references (the extra group would renumber them). */
    if (!strchr(pattern, '\\')) {
        size_t pl = strlen(pattern);
        char *w = nx_xmalloc(pl + 5);
        memcpy(w, "^(", 2);
        memcpy(w + 2, pattern, pl);
        memcpy(w + 2 + pl, ")$", 3);
        c->has_whole = regcomp(&c->whole, w, REG_EXTENDED | REG_NOSUB) == 0;
        free(w);
    }
    return c;
}

/* Whether pattern (a C string: the regex compiler stops at a NUL too) is
 * a non-empty ERE without special characters, so that it matches exactly
 * its own bytes, has no groups, and its leftmost-longest match is its
 * first occurrence.  Bytes >= 0x80 are left to the regex engine (a
 * multibyte locale could treat them as characters).  So is one too long
 * for libstdc++ (a state per byte, and 4 more): compile_entry reports it. */
static bool is_literal(const char *pattern)
{
    if (!*pattern) return false;
    const unsigned char *q = (const unsigned char *)pattern;
    for (; *q; q++)
        if (*q >= 0x80 || strchr(".[]()*+?{}|^$\\", *q)) return false;
    return q - (const unsigned char *)pattern <= NX_NFA_MAX_STATES - 4;
}

/* The capture groups of a match as a list (null for groups that did not
 * take part). */
static nx_value groups(const cached_re *c, const char *base, size_t len, regmatch_t *m, bool from_glibc)
{
    size_t n = c->ngroups;
    if (n == 0) return nx_empty_list;
    if (from_glibc && c->nodes) fix_captures(c, len, m);
    nx_list *l = nx_alloc_list((uint32_t)n);
    for (size_t g = 1; g <= n; g++)
        l->v[g - 1] = m[g].rm_so < 0 ? NX_NULL : nx_mk_string(base + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so), NULL);
    return nx_from_obj(l);
}

/* The step budget of one match or split over a subject of len bytes:
 * linear patterns take a few steps per byte; past it (backtracking gone
 * exponential, as CppNix's can) the answer comes from glibc, or for a
 * pattern too big for glibc is an error (CppNix would take as long). */
static uint64_t nfa_budget(size_t len)
{
    return ((uint64_t)1 << 20) + 64 * (uint64_t)len;
}

/* The error for a pattern without glibc's regex whose nfa gave up. */
static int too_complex(nx_vm *vm, const cached_re *c)
{
    return nx_builtin_fail(vm, "regular expression '%s' needs too many steps on this string", c->pattern);
}

static int step_match(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    const char *pat = nx_str(ARG(0))->s;
    if (is_literal(pat)) {
        /* The whole string must be the pattern itself; no groups. */
        size_t pl = strlen(pat);
        RETURN_VALUE(pl == nx_str_len(ARG(1)) && memcmp(pat, nx_str(ARG(1))->s, pl) == 0 ? nx_empty_list : NX_NULL);
    }
    cached_re *c = compile_entry(vm, pat);
    if (!c) return NX_STEP_ERROR;
    regex_t *re = &c->re;
    const char *s = nx_str(ARG(1))->s;
    size_t len = nx_str_len(ARG(1));
    if (c->has_whole && (c->ngroups == 0 || !c->nfa)) {
        /* Does the whole string match?  Without submatches; a pattern
         * without groups needs nothing more.  With groups the nfa answers
         * alone: asking glibc first cost more than the non-matching
         * subjects it rejects save (NixOS small: step_match 1.32 M
         * instructions with it, 0.81 M without). */
        regmatch_t w = { 0, (regoff_t)len };
        if (regexec(&c->whole, s, 1, &w, REG_STARTEND) != 0) RETURN_VALUE(NX_NULL);
        if (c->ngroups == 0) RETURN_VALUE(nx_empty_list);
    }
    regmatch_t *m = nx_xmalloc((c->ngroups + 1) * sizeof *m);
    nx_value r = NX_NULL;
    int rc = NX_NFA_GIVEUP;
    if (c->nfa) {
        uint64_t budget = nfa_budget(len);
        rc = nx_nfa_exec(c->nfa, s, len, 0, NX_NFA_EXACT, &budget, m);
        if (rc == NX_NFA_MATCH) r = groups(c, s, len, m, false);
    }
    /* The whole string must match: with leftmost-longest matching, a full
     * match exists iff the match found starts at 0 and reaches the end. */
    m[0].rm_so = 0;
    m[0].rm_eo = (regoff_t)len;
    if (rc == NX_NFA_GIVEUP && !c->has_re) {
        free(m);
        return too_complex(vm, c);
    }
    if (rc == NX_NFA_GIVEUP && regexec(re, s, c->ngroups + 1, m, REG_STARTEND) == 0 && m[0].rm_so == 0 &&
        (size_t)m[0].rm_eo == len)
        r = groups(c, s, len, m, true);
    free(m);
    RETURN_VALUE(r);
}

/* A growing array of split's results. */
typedef struct pieces {
    nx_value *v;
    size_t n, cap;
} pieces;

/* Appends the text before a match (from prev) and the match's groups. */
static void add_match(pieces *p, const cached_re *c, const char *s, size_t len, size_t prev, regmatch_t *m,
                      bool from_glibc)
{
    if (p->n + 2 >= p->cap) {
        p->cap *= 2;
        p->v = nx_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = nx_mk_string(s + prev, (size_t)m[0].rm_so - prev, NULL);
    p->v[p->n++] = groups(c, s, len, m, from_glibc);
}

/* The first start at or after from where the nfa matches (its match in
 * m), as glibc's regexec finds it (the same language) or, for a pattern
 * without glibc's regex, by trying each start in turn. */
static int nfa_search(const cached_re *c, const char *s, size_t len, size_t from, uint64_t *budget, regmatch_t *m)
{
    if (c->has_re) {
        m[0].rm_so = (regoff_t)from;
        m[0].rm_eo = (regoff_t)len;
        if (regexec(&c->re, s, 1, m, REG_STARTEND | (from ? REG_NOTBOL : 0)) != 0) return NX_NFA_NOMATCH;
        return nx_nfa_exec(c->nfa, s, len, (size_t)m[0].rm_so, 0, budget, m);
    }
    for (size_t at = from; at <= len; at++) {
        int rc = nx_nfa_exec(c->nfa, s, len, at, 0, budget, m);
        if (rc != NX_NFA_NOMATCH) return rc;
    }
    return NX_NFA_NOMATCH;
}

/* split's matches as std::sregex_iterator finds them, with the nfa: a
 * search from a position takes the first start with a match (nfa_search)
 * and there the nfa's match; after an empty match
 * the iterator first looks for a non-empty one at the same place
 * (match_not_null | match_continuous), then searches from the next
 * character.  '^' holds only at 0: the iterator's later searches are
 * match_prev_avail.  False when the nfa gave up: p is then emptied. */
static bool split_nfa(const cached_re *c, const char *s, size_t len, regmatch_t *m, pieces *p, size_t *prev_out)
{
    uint64_t budget = nfa_budget(len);
    size_t prev = 0, from = 0;
    int rc;
    for (;;) {
        rc = nfa_search(c, s, len, from, &budget, m);
        if (rc == NX_NFA_NOMATCH) break;
        if (rc != NX_NFA_MATCH) goto giveup;
        for (;;) {
            size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
            add_match(p, c, s, len, prev, m, false);
            prev = eo;
            if (eo > so) {
                from = eo;
                break;
            }
            if (eo == len) goto done;
            rc = nx_nfa_exec(c->nfa, s, len, eo, NX_NFA_NOT_NULL, &budget, m);
            if (rc == NX_NFA_GIVEUP) goto giveup;
            if (rc == NX_NFA_NOMATCH) {
                from = eo + 1;
                break;
            }
        }
    }
done:
    *prev_out = prev;
    return true;
giveup:
    p->n = 0;
    return false;
}

static int step_split(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    const char *s = nx_str(ARG(1))->s;
    size_t len = nx_str_len(ARG(1));
    const char *pat = nx_str(ARG(0))->s;
    if (is_literal(pat)) {
        /* Every occurrence, left to right, without overlaps: the pieces
         * between them, each occurrence giving an empty group list (as
         * regexec finds: a literal's leftmost-longest match is its first
         * occurrence, and it is never empty). */
        size_t pl = strlen(pat), count = 0, at = 0;
        const char *h;
        while (at + pl <= len && (h = memmem(s + at, len - at, pat, pl))) {
            count++;
            at = (size_t)(h - s) + pl;
        }
        nx_list *l = nx_alloc_list((uint32_t)(2 * count + 1));
        size_t k = 0, prev = 0;
        for (size_t c = 0; c < count; c++) {
            h = memmem(s + prev, len - prev, pat, pl);
            size_t so = (size_t)(h - s);
            l->v[k++] = nx_mk_string(s + prev, so - prev, NULL);
            l->v[k++] = nx_empty_list;
            prev = so + pl;
        }
        l->v[k] = nx_mk_string(s + prev, len - prev, NULL);
        RETURN_VALUE(nx_from_obj(l));
    }
    cached_re *c = compile_entry(vm, pat);
    if (!c) return NX_STEP_ERROR;
    regex_t *re = &c->re;
    regmatch_t *m = nx_xmalloc((c->ngroups + 1) * sizeof *m);
    pieces p = { nx_xmalloc(16 * sizeof *p.v), 0, 16 };
    size_t prev = 0, pos = 0;
    if (!c->nfa || !split_nfa(c, s, len, m, &p, &prev)) {
        if (!c->has_re) {
            free(m);
            free(p.v);
            return too_complex(vm, c);
        }
        /* glibc's leftmost-longest matches, with fix_captures. */
        while (pos <= len) {
            /* REG_STARTEND: search s[pos, len) without regexec measuring
             * the rest of the string each time (that made split
             * quadratic). */
            m[0].rm_so = (regoff_t)pos;
            m[0].rm_eo = (regoff_t)len;
            if (regexec(re, s, c->ngroups + 1, m, REG_STARTEND | (pos ? REG_NOTBOL : 0)) != 0) break;
            size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
            add_match(&p, c, s, len, prev, m, true);
            prev = eo;
            /* After an empty match, the next one starts one character on. */
            pos = eo > so ? eo : eo + 1;
        }
    }
    if (p.n + 1 >= p.cap) p.v = nx_xrealloc(p.v, (p.cap + 1) * sizeof *p.v);
    p.v[p.n++] = nx_mk_string(s + prev, len - prev, NULL);
    free(m);
    nx_list *l = nx_alloc_list((uint32_t)p.n);
    memcpy(l->v, p.v, p.n * sizeof *p.v);
    free(p.v);
    RETURN_VALUE(nx_from_obj(l));
}

static const nx_builtin table[] = {
    { "match", 2, 3, 0, false, step_match },
    { "split", 2, 3, 0, false, step_split },
};

const nx_builtin_table nx_builtins_regex = { table, NX_ARRAY_LEN(table) };
