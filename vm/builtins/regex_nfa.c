/* regex_nfa.c — CppNix's regex matches and captures (see regex_nfa.h and
 * docs/builtins.md, "Regular expressions").
 *
 * The automaton has the shape libstdc++'s compiler gives a POSIX extended
 * pattern, since its executor's answers depend on it: the whole pattern
 * is group 0; "x|y|z" is ((x|y)|z), each alternative node trying its left
 * branch first; "e*" is a repeat node whose "once more" branch enters e,
 * which leads back to it; "e+" is e followed by such a node leading back
 * to the same e; "e?" a repeat node whose branches are e and the exit;
 * "e{n,m}" n copies of e, then m-n nested "e?"-like nodes that all exit
 * to the same place, "e{n,}" n copies and a "*" over one more.
 *
 * The executor is libstdc++'s depth-first one made iterative: "calls" go
 * to a state, "returns" pop a frame from an explicit stack and undo what
 * the call did (capture, repeat count, position).  Its rules:
 *   - a repeat node enters its body once more first, and tries its exit
 *     only if no match was found yet (has_sol);
 *   - the body of a repeat node is entered at most twice at one position
 *     (the count is per node and restored on return);
 *   - an alternative node tries both branches, the right one with has_sol
 *     cleared, then ors the two;
 *   - an accept records the captures when it ends further than any accept
 *     before (ties keep the earlier one); in EXACT mode only at the end. */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/regex_nfa.h"
#include "vm/common.h"

enum {
    NS_CHAR,      /* c: one byte */
    NS_SET,       /* set: one byte of a bracket expression, or '.' */
    NS_BOL,       /* ^ */
    NS_EOL,       /* $ */
    NS_SUB_BEGIN, /* group's start */
    NS_SUB_END,   /* group's end */
    NS_REPEAT,    /* alt: once more, next: exit; arg: its repeat counter */
    NS_ALT,       /* alt: left branch, next: right branch */
    NS_ACCEPT,
};

typedef struct nfa_state {
    uint8_t op;
    uint8_t c;
    uint32_t next, alt;
    uint32_t arg; /* NS_SET: set index; NS_SUB_*: group; NS_REPEAT: counter */
} nfa_state;

typedef struct byteset { uint64_t w[4]; } byteset;

struct nx_nfa {
    nfa_state *st;
    uint32_t nst, start;
    byteset *sets;
    uint32_t nsets;
    uint32_t nrep;   /* repeat counters */
    uint32_t groups; /* not counting group 0 */
};

static bool in_set(const byteset *b, unsigned char c)
{
    return (b->w[c >> 6] >> (c & 63)) & 1;
}

/* ---- Parsing into a tree ------------------------------------------- */

enum { T_CHAR, T_SET, T_BOL, T_EOL, T_GROUP, T_CAT, T_ALT, T_REP };
typedef struct tnode {
    uint8_t kind;
    uint8_t c;
    bool plus;     /* T_REP: written "+", not "{1,}" (libstdc++ loops back
                    * to the same copy of the body) */
    int arg;       /* T_SET: set index; T_GROUP: group number */
    int min, max;  /* T_REP: max -1 for none */
    int kid, next; /* first child, next sibling; -1 for none */
    /* The states libstdc++'s compiler inserts for this node (total,
     * including copies it makes and then leaves unreachable) and those
     * reachable from its start (reach: what a copy of it costs), at most
     * COUNT_CAP. */
    uint64_t total, reach;
} tnode;

/* Above any count that matters (NX_NFA_MAX_STATES); small enough that
 * reach times a bound (< 2^20) cannot overflow. */
#define COUNT_CAP ((uint64_t)1 << 40)

static uint64_t cap_count(uint64_t n)
{
    return n < COUNT_CAP ? n : COUNT_CAP;
}

#define MAX_DEPTH 200
#define MAX_QUANTIFIERS 16

typedef struct parser {
    const char *p;
    tnode *t;
    size_t n, cap;
    byteset *sets;
    uint32_t nsets, capsets;
    int groups;
    bool bad; /* left to glibc */
} parser;

static int tnew(parser *ps, uint8_t kind)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 32;
        ps->t = nx_xrealloc(ps->t, ps->cap * sizeof *ps->t);
    }
    ps->t[ps->n] = (tnode){ .kind = kind, .kid = -1, .next = -1, .total = 1, .reach = 1 };
    return (int)ps->n++;
}

static void tadopt(parser *ps, int parent, int child)
{
    int *at = &ps->t[parent].kid;
    while (*at >= 0) at = &ps->t[*at].next;
    *at = child;
}

/* The bytes a bracket expression (or ".", text NULL) matches, as glibc
 * reads it — classes, collating symbols and equivalence classes included —
 * found by asking regexec about each byte; kept per bracket text, since
 * patterns share many ("[0-9]", "[^/]"). */
typedef struct bracket_memo {
    char *text;
    byteset set;
} bracket_memo;
static bracket_memo *memo;
static size_t nmemo, capmemo;

static bool bracket_set(const char *text, size_t tl, byteset *out)
{
    for (size_t i = 0; i < nmemo; i++)
        if (strlen(memo[i].text) == tl && memcmp(memo[i].text, text, tl) == 0) {
            *out = memo[i].set;
            return true;
        }
    char *z = nx_xstrndup(text, tl);
    regex_t re;
    if (regcomp(&re, z, REG_EXTENDED | REG_NOSUB) != 0) {
        free(z);
        return false;
    }
    memset(out, 0, sizeof *out);
    for (unsigned c = 1; c < 256; c++) {
        char b[2] = { (char)c, 0 }; /* terminated for sanitizers' regexec */
        regmatch_t m = { 0, 1 };
        if (regexec(&re, b, 1, &m, REG_STARTEND) == 0) out->w[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    regfree(&re);
    if (nmemo == capmemo) {
        capmemo = capmemo ? capmemo * 2 : 16;
        memo = nx_xrealloc(memo, capmemo * sizeof *memo);
    }
    memo[nmemo++] = (bracket_memo){ z, *out };
    return true;
}

static int tset(parser *ps, const byteset *b)
{
    if (ps->nsets == ps->capsets) {
        ps->capsets = ps->capsets ? ps->capsets * 2 : 4;
        ps->sets = nx_xrealloc(ps->sets, ps->capsets * sizeof *ps->sets);
    }
    ps->sets[ps->nsets] = *b;
    int n = tnew(ps, T_SET);
    ps->t[n].arg = (int)ps->nsets++;
    return n;
}

static int palt(parser *ps, int depth);

/* (regex_nfa.h) Inside, "[:", "[." and "[=" open a class,
 * collating symbol or equivalence class that runs to the matching ":]",
 * ".]" or "=]", and a ']' first (after any '^') is an ordinary member. */
const char *nx_regex_skip_bracket(const char *p)
{
    const char *q = p + 1;
    if (*q == '^') q++;
    if (*q == ']') q++;
    while (*q && *q != ']') {
        if (*q == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=')) {
            char d = q[1];
            q += 2;
            while (*q && !(*q == d && q[1] == ']')) q++;
            if (*q) q += 2;
        } else q++;
    }
    return *q ? q + 1 : NULL;
}

/* A bound at *p, just after the '{'; on success *p is past the '}'.
 * False for anything else, also "{m,n}" with n < m (std::regex rejects
 * it; glibc too). */
static bool read_bound(const char **p, int *min, int *max)
{
    const char *q = *p;
    if (*q < '0' || *q > '9') return false;
    long a = 0, b;
    while (*q >= '0' && *q <= '9') a = a < 100000 ? a * 10 + (*q++ - '0') : (q++, a);
    b = a;
    if (*q == ',') {
        q++;
        if (*q == '}') b = -1;
        else {
            if (*q < '0' || *q > '9') return false;
            b = 0;
            while (*q >= '0' && *q <= '9') b = b < 100000 ? b * 10 + (*q++ - '0') : (q++, b);
            if (b < a) return false;
        }
    }
    if (*q != '}') return false;
    *p = q + 1;
    *min = (int)a;
    *max = (int)b;
    return true;
}

int nx_regex_quantifier(const char **p, int *min, int *max)
{
    const char *q = *p;
    switch (*q) {
    case '*': *min = 0, *max = -1; break;
    case '+': *min = 1, *max = -1; break;
    case '?': *min = 0, *max = 1; break;
    case '{':
        q++;
        if (!read_bound(&q, min, max)) return -1;
        *p = q;
        return 1;
    default: return 0;
    }
    *p = q + 1;
    return 1;
}

/* An atom at ps->p, or -1 (ps->bad) for one left to glibc. */
static int patom(parser *ps, int depth)
{
    unsigned char c = (unsigned char)*ps->p;
    switch (c) {
    case '(': {
        ps->p++;
        int g = tnew(ps, T_GROUP);
        ps->t[g].arg = ++ps->groups;
        int body = palt(ps, depth + 1);
        if (*ps->p != ')') {
            ps->bad = true;
            return -1;
        }
        ps->p++;
        tadopt(ps, g, body);
        /* Its begin and end states. */
        ps->t[g].total = ps->t[body].total + 2;
        ps->t[g].reach = ps->t[body].reach + 2;
        return g;
    }
    case '^': ps->p++; return tnew(ps, T_BOL);
    case '$': ps->p++; return tnew(ps, T_EOL);
    case '.': {
        ps->p++;
        byteset all;
        memset(&all, 0xff, sizeof all);
        all.w[0] &= ~(uint64_t)1; /* not NUL */
        return tset(ps, &all);
    }
    case '[': {
        const char *end = nx_regex_skip_bracket(ps->p);
        byteset b;
        if (!end || !bracket_set(ps->p, (size_t)(end - ps->p), &b)) {
            ps->bad = true;
            return -1;
        }
        ps->p = end;
        return tset(ps, &b);
    }
    case '*': case '+': case '?': case '{': case ')': case '|': case 0:
        ps->bad = true;
        return -1;
    case '\\':
        if (!ps->p[1]) {
            ps->bad = true;
            return -1;
        }
        c = (unsigned char)*++ps->p;
        break;
    default:
        break;
    }
    ps->p++;
    int n = tnew(ps, T_CHAR);
    ps->t[n].c = c;
    return n;
}

/* libstdc++'s states for quantifier q ('*', '+', '?' or '{' for a bound
 * {min,max}, max -1 for none) over an operand of total and reach states,
 * into *total and *reach.
 * "*" and "+" add a repeat node, "?" a repeat and a dummy; a bound a
 * dummy, min copies of the operand, then for "{n,}" one more copy and a
 * repeat, for "{n}" and "{n,m}" an end dummy and max-min copies, each
 * with a repeat.  The operand itself stays behind, unreachable. */
static void count_rep(char q, int min, int max, uint64_t *total, uint64_t *reach)
{
    uint64_t t = *total, r = *reach, copies;
    if (q == '*' || q == '+') copies = 1;
    else if (q == '?') copies = 2;
    else {
        copies = 1 + (uint64_t)min * r + 1;
        if (max < 0) copies += r;
        else copies += (uint64_t)(max - min) * (r + 1);
        *reach = cap_count(copies);
        *total = cap_count(t + copies);
        return;
    }
    *reach = cap_count(r + copies);
    *total = cap_count(t + copies);
}

/* A concatenation; libstdc++ ends each with a dummy state. */
static int pcat(parser *ps, int depth)
{
    int cat = tnew(ps, T_CAT), last = -1;
    while (!ps->bad && *ps->p && *ps->p != '|' && *ps->p != ')') {
        int a = patom(ps, depth);
        if (a < 0) break;
        /* Each quantifier is a level of emit's recursion: at most
         * MAX_QUANTIFIERS on one atom keeps it within MAX_DEPTH times
         * that. */
        for (int nq = 0;; nq++) {
            char qc = *ps->p;
            bool plus = qc == '+';
            int min, max, q = nx_regex_quantifier(&ps->p, &min, &max);
            if (q == 0) break;
            if (q < 0) {
                ps->bad = true;
                return cat;
            }
            /* std::regex has no operand for a quantifier after an anchor. */
            if (ps->t[a].kind == T_BOL || ps->t[a].kind == T_EOL) {
                ps->bad = true;
                return cat;
            }
            if (nq >= MAX_QUANTIFIERS) {
                ps->bad = true;
                return cat;
            }
            int r = tnew(ps, T_REP);
            ps->t[r].min = min;
            ps->t[r].max = max;
            ps->t[r].plus = plus;
            ps->t[r].total = ps->t[a].total;
            ps->t[r].reach = ps->t[a].reach;
            count_rep(qc, min, max, &ps->t[r].total, &ps->t[r].reach);
            tadopt(ps, r, a);
            a = r;
        }
        /* Linked after the last child (tadopt would walk the list: a long
         * concatenation quadratic). */
        if (last < 0) ps->t[cat].kid = a;
        else ps->t[last].next = a;
        last = a;
        ps->t[cat].total = cap_count(ps->t[cat].total + ps->t[a].total);
        ps->t[cat].reach = cap_count(ps->t[cat].reach + ps->t[a].reach);
    }
    return cat;
}

static int palt(parser *ps, int depth)
{
    if (depth > MAX_DEPTH) {
        ps->bad = true;
        return tnew(ps, T_CAT);
    }
    /* libstdc++: each alternative after the first adds an alternative
     * node and a dummy where the branches meet. */
    int alt = tnew(ps, T_ALT), last = -1;
    ps->t[alt].total = ps->t[alt].reach = 0;
    for (;;) {
        int cat = pcat(ps, depth);
        if (last < 0) ps->t[alt].kid = cat;
        else ps->t[last].next = cat;
        last = cat;
        ps->t[alt].total = cap_count(ps->t[alt].total + ps->t[cat].total);
        ps->t[alt].reach = cap_count(ps->t[alt].reach + ps->t[cat].reach);
        if (ps->bad || *ps->p != '|') break;
        ps->p++;
        ps->t[alt].total += 2;
        ps->t[alt].reach += 2;
    }
    return alt;
}

/* ---- Emitting the automaton ---------------------------------------- */

typedef struct emitter {
    const tnode *t;
    nfa_state *st;
    uint32_t n, cap;
    uint32_t nrep;
    bool full;
} emitter;

static uint32_t snew(emitter *e, uint8_t op, uint32_t next)
{
    if (e->n >= NX_NFA_MAX_STATES) {
        e->full = true;
        return 0;
    }
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 32;
        e->st = nx_xrealloc(e->st, e->cap * sizeof *e->st);
    }
    e->st[e->n] = (nfa_state){ .op = op, .next = next, .alt = next };
    return e->n++;
}

static uint32_t emit(emitter *e, int node, uint32_t out);

/* A repeat node: once more into a copy of body (which leads back to it),
 * or exit to out.  Returns the node. */
static uint32_t emit_star(emitter *e, int body, uint32_t out)
{
    uint32_t r = snew(e, NS_REPEAT, out);
    uint32_t b = emit(e, body, r);
    if (e->full) return 0;
    e->st[r].alt = b;
    e->st[r].arg = e->nrep++;
    return r;
}

/* The states of tree node `node` followed by state out; returns the
 * first.  Recursion is bounded by the pattern's nesting (MAX_DEPTH). */
static uint32_t emit(emitter *e, int node, uint32_t out)
{
    const tnode *x = &e->t[node];
    if (e->full) return 0;
    switch (x->kind) {
    case T_CHAR: {
        uint32_t s = snew(e, NS_CHAR, out);
        if (!e->full) e->st[s].c = x->c;
        return s;
    }
    case T_SET: {
        uint32_t s = snew(e, NS_SET, out);
        if (!e->full) e->st[s].arg = (uint32_t)x->arg;
        return s;
    }
    case T_BOL: return snew(e, NS_BOL, out);
    case T_EOL: return snew(e, NS_EOL, out);
    case T_GROUP: {
        uint32_t end = snew(e, NS_SUB_END, out);
        if (e->full) return 0;
        e->st[end].arg = (uint32_t)x->arg;
        uint32_t body = emit(e, x->kid, end);
        uint32_t begin = snew(e, NS_SUB_BEGIN, body);
        if (!e->full) e->st[begin].arg = (uint32_t)x->arg;
        return begin;
    }
    case T_CAT: {
        /* Last child first. */
        int small[16], *kids = small, nk = 0;
        for (int k = x->kid; k >= 0; k = e->t[k].next) nk++;
        if (nk > 16) kids = nx_xmalloc((size_t)nk * sizeof *kids);
        nk = 0;
        for (int k = x->kid; k >= 0; k = e->t[k].next) kids[nk++] = k;
        while (nk > 0) out = emit(e, kids[--nk], out);
        if (kids != small) free(kids);
        return out;
    }
    case T_ALT: {
        /* ((b1|b2)|b3)…: each alternative node's left branch is the
         * alternatives before it. */
        int k = x->kid;
        uint32_t left = emit(e, k, out);
        for (k = e->t[k].next; k >= 0; k = e->t[k].next) {
            uint32_t right = emit(e, k, out);
            uint32_t a = snew(e, NS_ALT, right);
            if (e->full) return 0;
            e->st[a].alt = left;
            left = a;
        }
        return left;
    }
    default: { /* T_REP */
        int body = x->kid;
        uint32_t tail;
        if (x->plus) {
            /* e+: e, then a repeat node back to the same e. */
            uint32_t r = emit_star(e, body, out);
            return e->full ? 0 : e->st[r].alt;
        }
        if (x->max < 0) tail = emit_star(e, body, out);
        else {
            tail = out;
            for (int i = x->max - x->min; i > 0 && !e->full; i--) {
                uint32_t b = emit(e, body, tail);
                uint32_t r = snew(e, NS_REPEAT, out);
                if (e->full) return 0;
                e->st[r].alt = b;
                e->st[r].arg = e->nrep++;
                tail = r;
            }
        }
        for (int i = x->min; i > 0 && !e->full; i--) tail = emit(e, body, tail);
        return tail;
    }
    }
}

nx_nfa *nx_nfa_compile(const char *pattern, int *verdict)
{
    parser ps = { .p = pattern };
    int root = palt(&ps, 0);
    if (*ps.p) ps.bad = true; /* an unmatched ')' */
    nx_nfa *nfa = NULL;
    /* libstdc++ adds group 0's begin and end and the accept state. */
    *verdict = ps.bad ? NX_NFA_UNSUPPORTED : ps.t[root].total + 3 > NX_NFA_MAX_STATES ? NX_NFA_TOO_BIG : NX_NFA_OK;
    if (*verdict == NX_NFA_OK) {
        /* Group 0 around the whole pattern, then accept. */
        emitter e = { .t = ps.t };
        uint32_t acc = snew(&e, NS_ACCEPT, 0);
        uint32_t end = snew(&e, NS_SUB_END, acc);
        uint32_t body = emit(&e, root, end);
        uint32_t begin = snew(&e, NS_SUB_BEGIN, body);
        if (!e.full) {
            nfa = nx_xmalloc(sizeof *nfa);
            nfa->st = e.st;
            nfa->nst = e.n;
            nfa->start = begin;
            nfa->sets = ps.sets;
            nfa->nsets = ps.nsets;
            nfa->nrep = e.nrep;
            nfa->groups = (uint32_t)ps.groups;
            ps.sets = NULL;
        } else {
            /* Fewer states than libstdc++'s, which fit. */
            free(e.st);
            *verdict = NX_NFA_UNSUPPORTED;
        }
    }
    free(ps.t);
    free(ps.sets);
    return nfa;
}

size_t nx_nfa_groups(const nx_nfa *nfa)
{
    return nfa->groups;
}

void nx_nfa_free(nx_nfa *nfa)
{
    if (!nfa) return;
    free(nfa->st);
    free(nfa->sets);
    free(nfa);
}

/* ---- The executor --------------------------------------------------- */

/* A frame: what to undo when the call it was pushed for returns.  pos is
 * the position at that call, restored on return. */
enum {
    F_SUB_BEGIN,  /* a: the group's previous start */
    F_SUB_END,    /* a: the group's previous end */
    F_REPEAT,     /* then the repeat node's exit, unless has_sol */
    F_REP_RESET,  /* a, b: the counter's previous position and count */
    F_REP_DEC,    /* the counter's count goes down by one */
    F_ALT_LEFT,   /* then the right branch, has_sol cleared */
    F_ALT_RIGHT,  /* a: has_sol after the left branch */
};
typedef struct frame {
    uint32_t op;  /* F_* */
    uint32_t x;   /* state, group or counter */
    uint32_t pos;
    uint32_t a;
    uint32_t b;
} frame;

/* 1 << 20 frames (20 MiB): a match that needs more (several frames per
 * character a repeated group consumes) goes to glibc. */
#define MAX_FRAMES (1u << 20)
#define UNSET UINT32_MAX

static struct {
    frame *f;
    uint32_t capf;
    uint32_t *first, *second, *best_first, *best_second;
    uint32_t *rep_pos, *rep_count;
    uint32_t capg, caprep;
} ws;

int nx_nfa_exec(const nx_nfa *nfa, const char *s, size_t len, size_t start, int flags, uint64_t *budget,
                regmatch_t *m)
{
    if (len >= UNSET) return NX_NFA_GIVEUP;
    uint32_t ng = nfa->groups + 1;
    if (ng > ws.capg) {
        ws.capg = ng;
        ws.first = nx_xrealloc(ws.first, ng * sizeof *ws.first);
        ws.second = nx_xrealloc(ws.second, ng * sizeof *ws.second);
        ws.best_first = nx_xrealloc(ws.best_first, ng * sizeof *ws.best_first);
        ws.best_second = nx_xrealloc(ws.best_second, ng * sizeof *ws.best_second);
    }
    if (nfa->nrep > ws.caprep) {
        ws.caprep = nfa->nrep;
        ws.rep_pos = nx_xrealloc(ws.rep_pos, nfa->nrep * sizeof *ws.rep_pos);
        ws.rep_count = nx_xrealloc(ws.rep_count, nfa->nrep * sizeof *ws.rep_count);
    }
    for (uint32_t g = 0; g < ng; g++) ws.first[g] = ws.second[g] = UNSET;
    if (nfa->nrep) memset(ws.rep_count, 0, nfa->nrep * sizeof *ws.rep_count);

    const nfa_state *st = nfa->st;
    const unsigned char *u = (const unsigned char *)s;
    uint32_t n = (uint32_t)len, cur = (uint32_t)start, sol = UNSET;
    uint32_t top = 0, i = nfa->start;
    uint64_t steps = *budget;
    bool has_sol = false, exact = flags & NX_NFA_EXACT, not_null = flags & NX_NFA_NOT_NULL;
    int result = NX_NFA_NOMATCH;

#define PUSH(OP, X, A, B)                                                     \
    do {                                                                      \
        if (top == ws.capf) {                                                 \
            if (ws.capf >= MAX_FRAMES) goto giveup;                           \
            ws.capf = ws.capf ? ws.capf * 2 : 256;                            \
            ws.f = nx_xrealloc(ws.f, ws.capf * sizeof *ws.f);                 \
        }                                                                     \
        ws.f[top++] = (frame){ (OP), (X), cur, (A), (B) };                    \
    } while (0)

    for (;;) {
    call:
        if (steps-- == 0) goto giveup;
        switch (st[i].op) {
        case NS_CHAR:
            if (cur < n && u[cur] == st[i].c) {
                cur++;
                i = st[i].next;
                goto call;
            }
            break;
        case NS_SET:
            if (cur < n && in_set(&nfa->sets[st[i].arg], u[cur])) {
                cur++;
                i = st[i].next;
                goto call;
            }
            break;
        case NS_BOL:
            if (cur == 0) {
                i = st[i].next;
                goto call;
            }
            break;
        case NS_EOL:
            if (cur == n) {
                i = st[i].next;
                goto call;
            }
            break;
        case NS_SUB_BEGIN: {
            uint32_t g = st[i].arg;
            PUSH(F_SUB_BEGIN, g, ws.first[g], 0);
            ws.first[g] = cur;
            i = st[i].next;
            goto call;
        }
        case NS_SUB_END: {
            uint32_t g = st[i].arg;
            PUSH(F_SUB_END, g, ws.second[g], 0);
            ws.second[g] = cur;
            i = st[i].next;
            goto call;
        }
        case NS_REPEAT: {
            uint32_t r = st[i].arg;
            PUSH(F_REPEAT, i, 0, 0);
            if (ws.rep_count[r] == 0 || ws.rep_pos[r] != cur) {
                PUSH(F_REP_RESET, r, ws.rep_pos[r], ws.rep_count[r]);
                ws.rep_pos[r] = cur;
                ws.rep_count[r] = 1;
            } else if (ws.rep_count[r] < 2) {
                PUSH(F_REP_DEC, r, 0, 0);
                ws.rep_count[r]++;
            } else break;
            i = st[i].alt;
            goto call;
        }
        case NS_ALT:
            PUSH(F_ALT_LEFT, i, 0, 0);
            i = st[i].alt;
            goto call;
        default: /* NS_ACCEPT */
            if ((exact && cur != n) || (not_null && cur == start)) break;
            has_sol = true;
            if (sol == UNSET || cur > sol) {
                sol = cur;
                memcpy(ws.best_first, ws.first, ng * sizeof *ws.first);
                memcpy(ws.best_second, ws.second, ng * sizeof *ws.second);
                result = NX_NFA_MATCH;
                /* Nothing can end further: the rest of the search would
                 * only find accepts it ignores. */
                if (cur == n) goto done;
            }
            break;
        }
        /* Return: undo frames until one continues the search. */
        for (;;) {
            if (top == 0) goto done;
            frame *f = &ws.f[--top];
            cur = f->pos;
            switch (f->op) {
            case F_SUB_BEGIN: ws.first[f->x] = f->a; continue;
            case F_SUB_END: ws.second[f->x] = f->a; continue;
            case F_REPEAT:
                if (has_sol) continue;
                i = st[f->x].next;
                goto call;
            case F_REP_RESET:
                ws.rep_pos[f->x] = f->a;
                ws.rep_count[f->x] = f->b;
                continue;
            case F_REP_DEC: ws.rep_count[f->x]--; continue;
            case F_ALT_LEFT: {
                uint32_t alt = f->x;
                bool had = has_sol;
                PUSH(F_ALT_RIGHT, 0, had, 0);
                has_sol = false;
                i = st[alt].next;
                goto call;
            }
            default: /* F_ALT_RIGHT */
                has_sol = has_sol || f->a;
                continue;
            }
        }
    }
#undef PUSH
done:
    *budget = steps;
    if (result == NX_NFA_MATCH)
        for (uint32_t g = 0; g < ng; g++) {
            bool set = ws.best_second[g] != UNSET;
            m[g].rm_so = set ? (regoff_t)ws.best_first[g] : -1;
            m[g].rm_eo = set ? (regoff_t)ws.best_second[g] : -1;
        }
    return result;
giveup:
    *budget = 0;
    return NX_NFA_GIVEUP;
}
