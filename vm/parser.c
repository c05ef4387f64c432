/* parser.c — recursive-descent Nix parser producing vm/ast.h nodes.
 *
 * The grammar and the shape of the tree follow CppNix's parser.y: the same
 * precedence and associativity, the same desugarings (a - b is a call of
 * __sub, <p> a call of __findFile, `let { }` a select of `body`, ...), the
 * same attribute-path merging rules and the same error positions (the
 * start of the offending token; end of file is reported at the start of
 * the last lexeme, as bison does). */
#include "vm/parser.h"

#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/lexer.h"
#include "vm/print_ast.h"
#include "vm/source.h"

#define LOOKAHEAD 4

typedef struct parser {
    nx_lexer lx;
    nx_token ring[LOOKAHEAD];
    uint32_t head, count;
    uint32_t prev_end;     /* end of the last consumed token */
    nx_arena *a;
    uint32_t src;
    nx_source *source;
    const char *base_dir;
    const char *canon_base;    /* canonical base_dir, "" for "/"; built on first use */
    size_t canon_base_len;
    nx_error *err;
    bool failed;
    uint32_t depth;
    nx_sym s_sub, s_mul, s_div, s_less, s_findfile, s_nixpath, s_or, s_body, s_curpos;
} parser;

/* ---- tokens ------------------------------------------------------------- */

static nx_token *peek_at(parser *p, uint32_t k)
{
    while (p->count <= k) {
        nx_token *t = &p->ring[(p->head + p->count) % LOOKAHEAD];
        nx_lexer_next(&p->lx, t);
        p->count++;
    }
    return &p->ring[(p->head + k) % LOOKAHEAD];
}

static inline nx_token *cur(parser *p) { return peek_at(p, 0); }

static void advance(parser *p)
{
    p->prev_end = peek_at(p, 0)->end;
    p->head = (p->head + 1) % LOOKAHEAD;
    p->count--;
}

static inline bool is_char(const nx_token *t, int c) { return t->type == NX_T_CHAR && t->ch == c; }

/* ---- errors ------------------------------------------------------------- */

static nx_pos pos_at(parser *p, uint32_t off) { return (nx_pos){ p->src, off }; }

static void *fail_at(parser *p, uint32_t off, const char *fmt, ...) NX_PRINTF(3, 4);

static void *fail_at(parser *p, uint32_t off, const char *fmt, ...)
{
    if (p->failed) return NULL;
    p->failed = true;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nx_error_set(p->err, pos_at(p, off), "%s", buf);
    return NULL;
}

/* Reports the current token as unexpected; `expecting` may be NULL. */
static void *unexpected(parser *p, const char *expecting)
{
    nx_token *t = cur(p);
    if (t->type == NX_T_ERROR) {
        if (strcmp(t->v.err, "invalid integer") == 0 || strcmp(t->v.err, "invalid float") == 0)
            return fail_at(p, t->start, "%s '%.*s'", t->v.err, (int)(t->end - t->start), p->lx.src + t->start);
        return fail_at(p, t->start, "%s", t->v.err);
    }
    char what[64];
    nx_tok_describe(t, what, sizeof what);
    if (expecting)
        return fail_at(p, t->start, "syntax error, unexpected %s, expecting %s", what, expecting);
    return fail_at(p, t->start, "syntax error, unexpected %s", what);
}

static bool expect_char(parser *p, int c, const char *name)
{
    if (is_char(cur(p), c)) {
        advance(p);
        return true;
    }
    unexpected(p, name);
    return false;
}

static bool expect_tok(parser *p, int type, const char *name)
{
    if (cur(p)->type == type) {
        advance(p);
        return true;
    }
    unexpected(p, name);
    return false;
}

/* ---- node construction -------------------------------------------------- */

static void *mk(parser *p, int kind, size_t size, uint32_t start, uint32_t end)
{
    nx_node *n = nx_arena_zalloc(p->a, size);
    n->kind = (uint8_t)kind;
    n->src = p->src;
    n->start = start;
    n->end = end;
    n->pos = start;
    return n;
}

#define MK(p, type, kind, start, end) ((type *)mk((p), (kind), sizeof(type), (start), (end)))

static nx_node *mk_var(parser *p, nx_sym name, uint32_t start, uint32_t end)
{
    nx_n_var *v = MK(p, nx_n_var, NX_N_VAR, start, end);
    v->name = name;
    return &v->h;
}

static nx_node *mk_str(parser *p, const char *s, size_t len, uint32_t start, uint32_t end)
{
    nx_n_str *n = MK(p, nx_n_str, NX_N_STR, start, end);
    n->s = s;
    n->len = len;
    return &n->h;
}

static void call_push(parser *p, nx_n_call *c, nx_node *arg)
{
    if (c->nargs == c->capargs) {
        uint32_t cap = c->capargs ? c->capargs * 2 : 2;
        c->args = nx_arena_grow(p->a, c->args, c->nargs * sizeof *c->args, cap * sizeof *c->args);
        c->capargs = cap;
    }
    c->args[c->nargs++] = arg;
    if (arg->end > c->h.end) c->h.end = arg->end;
}

static nx_node *mk_call(parser *p, nx_node *fn, uint32_t start, uint32_t end, int flags)
{
    nx_n_call *c = MK(p, nx_n_call, NX_N_CALL, start, end);
    c->fn = fn;
    c->h.flags = (uint8_t)flags;
    return &c->h;
}

/* A call of a builtin that an operator desugars to: __sub a b, ... */
static nx_node *mk_desugared(parser *p, nx_sym fn, nx_node *a, nx_node *b, uint32_t oppos)
{
    nx_node *c = mk_call(p, mk_var(p, fn, oppos, oppos), a->start, b->end, NX_NF_DESUGARED);
    call_push(p, (nx_n_call *)c, a);
    call_push(p, (nx_n_call *)c, b);
    c->pos = oppos;
    return c;
}

static nx_node *mk_binop(parser *p, int kind, nx_node *a, nx_node *b, uint32_t oppos)
{
    nx_n_binop *n = MK(p, nx_n_binop, kind, a->start, b->end);
    n->a = a;
    n->b = b;
    n->h.pos = oppos;
    return &n->h;
}

static nx_node *mk_not(parser *p, nx_node *e, uint32_t start)
{
    nx_n_not *n = MK(p, nx_n_not, NX_N_NOT, start, e->end);
    n->e = e;
    return &n->h;
}

/* A growable array of node pointers in the arena. */
typedef struct { nx_node **v; uint32_t *pos; uint32_t n, cap; } nodevec;

/* Appends e; pos is where errors about it point (default: its start). */
static void nodevec_push_at(parser *p, nodevec *v, nx_node *e, uint32_t pos)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 4;
        v->v = nx_arena_grow(p->a, v->v, v->n * sizeof *v->v, cap * sizeof *v->v);
        v->pos = nx_arena_grow(p->a, v->pos, v->n * sizeof *v->pos, cap * sizeof *v->pos);
        v->cap = cap;
    }
    v->pos[v->n] = pos;
    v->v[v->n++] = e;
}

static void nodevec_push(parser *p, nodevec *v, nx_node *e) { nodevec_push_at(p, v, e, e->start); }

static nx_node *mk_concat(parser *p, nodevec *parts, bool force, uint32_t start, uint32_t end)
{
    nx_n_concat *c = MK(p, nx_n_concat, NX_N_CONCATSTRINGS, start, end);
    c->h.flags = force ? NX_NF_FORCE_STRING : 0;
    c->parts = parts->v;
    c->ppos = parts->pos;
    c->n = parts->n;
    return &c->h;
}

/* ---- attribute sets under construction ---------------------------------- */

static uint32_t sym_hash(nx_sym s) { return s * 2654435761u; }

static void attrs_reindex(parser *p, nx_n_attrs *as, uint32_t size)
{
    as->index = nx_arena_zalloc(p->a, size * sizeof *as->index);
    as->nindex = size;
    for (uint32_t i = 0; i < as->nattrs; i++) {
        uint32_t h = sym_hash(as->attrs[i].name) & (size - 1);
        while (as->index[h]) h = (h + 1) & (size - 1);
        as->index[h] = i + 1;
    }
}

static nx_attrdef *attrs_find(nx_n_attrs *as, nx_sym s)
{
    if (!as->index) {
        for (uint32_t i = 0; i < as->nattrs; i++)
            if (as->attrs[i].name == s) return &as->attrs[i];
        return NULL;
    }
    uint32_t h = sym_hash(s) & (as->nindex - 1);
    while (as->index[h]) {
        nx_attrdef *d = &as->attrs[as->index[h] - 1];
        if (d->name == s) return d;
        h = (h + 1) & (as->nindex - 1);
    }
    return NULL;
}

static nx_attrdef *attrs_add(parser *p, nx_n_attrs *as, nx_sym name, int kind, uint32_t pos, nx_node *value)
{
    if (as->nattrs == as->capattrs) {
        uint32_t cap = as->capattrs ? as->capattrs * 2 : 4;
        as->attrs = nx_arena_grow(p->a, as->attrs, as->nattrs * sizeof *as->attrs, cap * sizeof *as->attrs);
        as->capattrs = cap;
    }
    nx_attrdef *d = &as->attrs[as->nattrs++];
    memset(d, 0, sizeof *d);
    d->name = name;
    d->kind = (uint8_t)kind;
    d->pos = pos;
    d->value = value;
    if (as->index) {
        if (as->nattrs * 2 > as->nindex) {
            attrs_reindex(p, as, as->nindex * 2);
        } else {
            uint32_t h = sym_hash(name) & (as->nindex - 1);
            while (as->index[h]) h = (h + 1) & (as->nindex - 1);
            as->index[h] = as->nattrs;
        }
    } else if (as->nattrs > 8) {
        attrs_reindex(p, as, 32);
    }
    return d;
}

static void attrs_add_dyn(parser *p, nx_n_attrs *as, nx_node *name, nx_node *value, uint32_t pos)
{
    if (as->ndyn == as->capdyn) {
        uint32_t cap = as->capdyn ? as->capdyn * 2 : 2;
        as->dyn = nx_arena_grow(p->a, as->dyn, as->ndyn * sizeof *as->dyn, cap * sizeof *as->dyn);
        as->capdyn = cap;
    }
    as->dyn[as->ndyn++] = (nx_dynattr){ name, value, pos };
}

static nx_n_attrs *mk_attrs(parser *p, uint32_t start)
{
    return MK(p, nx_n_attrs, NX_N_ATTRS, start, start);
}

static void format_path(nx_buf *b, const nx_attrname *path, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) nx_buf_addc(b, '.');
        if (path[i].sym) nx_print_identifier(b, nx_sym_str(path[i].sym), nx_sym_len(path[i].sym));
        else nx_buf_adds(b, "\"${...}\"");
    }
}

static void *dup_attr(parser *p, const nx_attrname *path, uint32_t npath, uint32_t pos, uint32_t prev)
{
    nx_buf b = { 0 }, where = { 0 };
    format_path(&b, path, npath);
    nx_pos_format(&where, pos_at(p, prev));
    fail_at(p, pos, "attribute '%s' already defined at %s", b.data, where.data);
    nx_buf_free(&b);
    nx_buf_free(&where);
    return NULL;
}

static void set_lambda_name(nx_node *e, nx_sym name)
{
    if (e->kind == NX_N_LAMBDA) ((nx_n_lambda *)e)->name = name;
}

/* CppNix's addAttr: walks/creates nested sets for a.b.c = e, merging with
 * existing attribute-set literals, and rejects duplicates. */
static bool add_attr(parser *p, nx_n_attrs *as, nx_attrname *path, uint32_t npath, nx_node *e, uint32_t pos)
{
    uint32_t i;
    for (i = 0; i + 1 < npath; i++) {
        if (path[i].sym) {
            nx_attrdef *d = attrs_find(as, path[i].sym);
            if (d) {
                if (d->kind != NX_ATTR_PLAIN || d->value->kind != NX_N_ATTRS) {
                    dup_attr(p, path, i + 1, pos, d->pos);
                    return false;
                }
                as = (nx_n_attrs *)d->value;
            } else {
                nx_n_attrs *nested = mk_attrs(p, pos);
                attrs_add(p, as, path[i].sym, NX_ATTR_PLAIN, pos, &nested->h);
                as = nested;
            }
        } else {
            nx_n_attrs *nested = mk_attrs(p, pos);
            attrs_add_dyn(p, as, path[i].expr, &nested->h, pos);
            as = nested;
        }
    }
    if (!path[i].sym) {
        attrs_add_dyn(p, as, path[i].expr, e, pos);
        return true;
    }
    nx_attrdef *d = attrs_find(as, path[i].sym);
    if (!d) {
        attrs_add(p, as, path[i].sym, NX_ATTR_PLAIN, pos, e);
        set_lambda_name(e, path[i].sym);
        return true;
    }
    /* Already defined: two attribute-set literals merge, anything else is
     * a duplicate. */
    if (d->kind == NX_ATTR_PLAIN && d->value->kind == NX_N_ATTRS && e->kind == NX_N_ATTRS) {
        nx_n_attrs *into = (nx_n_attrs *)d->value, *from = (nx_n_attrs *)e;
        for (uint32_t k = 0; k < from->nattrs; k++) {
            nx_attrdef *ad = &from->attrs[k];
            nx_attrdef *ex = attrs_find(into, ad->name);
            if (ex) {
                /* CppNix reports this one at the earlier definition. */
                nx_attrname nm = { ad->name, NULL, ad->pos };
                dup_attr(p, &nm, 1, ex->pos, ad->pos);
                return false;
            }
            nx_attrdef *nd = attrs_add(p, into, ad->name, ad->kind, ad->pos, ad->value);
            if (ad->kind == NX_ATTR_INHERIT_FROM) {
                /* Re-home the inherit-from source expression. */
                if (into->nfrom == into->capfrom) {
                    uint32_t cap = into->capfrom ? into->capfrom * 2 : 2;
                    into->inherit_from = nx_arena_grow(p->a, into->inherit_from, into->nfrom * sizeof(nx_node *), cap * sizeof(nx_node *));
                    into->capfrom = cap;
                }
                into->inherit_from[into->nfrom] = from->inherit_from[ad->from];
                nd->from = into->nfrom++;
            } else {
                nd->from = 0;
            }
        }
        for (uint32_t k = 0; k < from->ndyn; k++)
            attrs_add_dyn(p, into, from->dyn[k].name, from->dyn[k].value, from->dyn[k].pos);
        return true;
    }
    dup_attr(p, path, npath, pos, d->pos);
    return false;
}

/* ---- expressions -------------------------------------------------------- */

static nx_node *parse_expr(parser *p);
static nx_node *parse_select(parser *p);
static nx_node *parse_op(parser *p, int min);

static bool enter(parser *p)
{
    if (NX_UNLIKELY(++p->depth > NX_MAX_PARSE_DEPTH)) {
        fail_at(p, cur(p)->start, "expression nested too deeply (more than %d levels)", NX_MAX_PARSE_DEPTH);
        return false;
    }
    return true;
}

/* Parses the inside of "..." after the opening quote, up to and including
 * the closing quote. */
static nx_node *parse_string_body(parser *p, uint32_t start)
{
    nodevec parts = { 0 };
    bool interpolated = false;
    for (;;) {
        nx_token *t = cur(p);
        if (t->type == NX_T_STR) {
            if (parts.n && !interpolated) return unexpected(p, "'\"'");
            nodevec_push(p, &parts, mk_str(p, t->v.str.s, t->v.str.len, t->start, t->end));
            advance(p);
        } else if (t->type == NX_T_DOLLAR_CURLY) {
            uint32_t dpos = t->start;
            advance(p);
            nx_node *e = parse_expr(p);
            if (!e) return NULL;
            if (!expect_char(p, '}', "'}'")) return NULL;
            nodevec_push_at(p, &parts, e, dpos);
            interpolated = true;
        } else if (is_char(t, '"')) {
            uint32_t end = t->end;
            advance(p);
            if (parts.n == 0) return mk_str(p, "", 0, start, end);
            if (parts.n == 1 && !interpolated) {
                /* A plain string literal: the piece itself, spanning the quotes. */
                nx_node *s = parts.v[0];
                s->start = start;
                s->end = end;
                return s;
            }
            return mk_concat(p, &parts, true, start, end);
        } else {
            return unexpected(p, "'\"'");
        }
    }
}

/* CppNix's stripIndentation for ''indented strings''. */
typedef struct { nx_node *e; const char *s; size_t len; bool lit, escape; uint32_t pos; } ind_part;

static nx_node *strip_indentation(parser *p, ind_part *v, uint32_t n, uint32_t start, uint32_t end)
{
    if (n == 0) return mk_str(p, "", 0, start, end);
    /* Minimum indentation of non-blank lines (interpolations count). */
    bool at_sol = true;
    size_t min_indent = SIZE_MAX, cur_indent = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!v[i].lit) {
            if (at_sol) {
                at_sol = false;
                if (cur_indent < min_indent) min_indent = cur_indent;
            }
            continue;
        }
        for (size_t j = 0; j < v[i].len; j++) {
            char c = v[i].s[j];
            if (at_sol) {
                if (c == ' ') cur_indent++;
                else if (c == '\n') cur_indent = 0;
                else {
                    at_sol = false;
                    if (cur_indent < min_indent) min_indent = cur_indent;
                }
            } else if (c == '\n') {
                at_sol = true;
                cur_indent = 0;
            }
        }
    }
    nodevec parts = { 0 };
    at_sol = true;
    size_t dropped = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!v[i].lit) {
            /* An interpolation ends the line's leading whitespace; an
             * escape does too, except that ''\n starts a new line (as
             * nix-instantiate 2.8 behaves). */
            nx_n_str *esc = v[i].escape ? (nx_n_str *)v[i].e : NULL;
            at_sol = esc && esc->len && esc->s[esc->len - 1] == '\n';
            dropped = 0;
            nodevec_push_at(p, &parts, v[i].e, v[i].pos);
            continue;
        }
        char *out = nx_arena_alloc(p->a, v[i].len + 1);
        size_t o = 0;
        for (size_t j = 0; j < v[i].len; j++) {
            char c = v[i].s[j];
            if (at_sol) {
                if (c == ' ') {
                    if (dropped++ >= min_indent) out[o++] = c;
                } else if (c == '\n') {
                    dropped = 0;
                    out[o++] = c;
                } else {
                    at_sol = false;
                    dropped = 0;
                    out[o++] = c;
                }
            } else {
                out[o++] = c;
                if (c == '\n') at_sol = true;
            }
        }
        /* Drop a last line that holds only spaces. */
        if (i == n - 1) {
            size_t k = o;
            while (k > 0 && out[k - 1] != '\n') k--;
            if (k > 0) {
                bool spaces = true;
                for (size_t m = k; m < o; m++)
                    if (out[m] != ' ') spaces = false;
                if (spaces) o = k;
            }
        }
        out[o] = 0;
        nodevec_push(p, &parts, mk_str(p, out, o, v[i].e ? v[i].e->start : start, v[i].e ? v[i].e->end : end));
    }
    if (parts.n == 1 && parts.v[0]->kind == NX_N_STR) {
        parts.v[0]->start = start;
        parts.v[0]->end = end;
        return parts.v[0];
    }
    return mk_concat(p, &parts, true, start, end);
}

static nx_node *parse_ind_string(parser *p, uint32_t start)
{
    ind_part *v = NULL;
    uint32_t n = 0, cap = 0;
    for (;;) {
        nx_token *t = cur(p);
        ind_part part = { 0 };
        if (t->type == NX_T_IND_STR) {
            /* ''\x escapes behave like interpolations for indentation. */
            part.lit = t->ch != 1;
            part.escape = t->ch == 1;
            part.s = t->v.str.s;
            part.len = t->v.str.len;
            part.e = mk_str(p, t->v.str.s, t->v.str.len, t->start, t->end);
            part.pos = t->start;
            advance(p);
        } else if (t->type == NX_T_DOLLAR_CURLY) {
            part.pos = t->start;
            advance(p);
            part.e = parse_expr(p);
            if (!part.e) return NULL;
            if (!expect_char(p, '}', "'}'")) return NULL;
        } else if (t->type == NX_T_IND_STRING_CLOSE) {
            uint32_t end = t->end;
            advance(p);
            nx_node *r = strip_indentation(p, v, n, start, end);
            return r;
        } else {
            return unexpected(p, "IND_STR or DOLLAR_CURLY or IND_STRING_CLOSE");
        }
        if (n == cap) {
            uint32_t nc = cap ? cap * 2 : 8;
            v = nx_arena_grow(p->a, v, n * sizeof *v, nc * sizeof *v);
            cap = nc;
        }
        v[n++] = part;
    }
}


/* absPath + canonPath: make `text` absolute against the base directory and
 * remove ".", ".." and repeated slashes.  The base directory is
 * canonicalised once per parse. */
static char *resolve_path(parser *p, const char *text, size_t len, size_t *outlen)
{
    size_t o = 0;
    char *out;
    if (len == 0 || text[0] != '/') {
        if (!p->canon_base) {
            size_t bl = strlen(p->base_dir);
            char *cb = nx_arena_alloc(p->a, bl + 2);
            p->canon_base_len = nx_canon_path(cb, p->base_dir, bl);
            if (p->canon_base_len == 1) p->canon_base_len = 0; /* "/" */
            p->canon_base = cb;
        }
        out = nx_arena_alloc(p->a, p->canon_base_len + len + 3);
        memcpy(out, p->canon_base, p->canon_base_len);
        o = p->canon_base_len;
    } else {
        out = nx_arena_alloc(p->a, len + 3);
    }
    o = nx_canon_append(out, o, text, len);
    if (o == 0) out[o++] = '/';
    /* CppNix adds back the trailing slash of the first segment. */
    if (len > 1 && text[len - 1] == '/') out[o++] = '/';
    out[o] = 0;
    *outlen = o;
    return out;
}

/* The directory ~ stands for: CppNix's getHome() — $HOME when it is set
 * and (if it exists) owned by the user, else the passwd entry's. */
static const char *home_dir(void)
{
    static char *home;
    if (home) return home;
    const char *h = getenv("HOME");
    struct stat st;
    bool foreign = h && stat(h, &st) == 0 && st.st_uid != geteuid();
    if (h && !foreign) return home = nx_xstrndup(h, strlen(h));
    struct passwd *pw = getpwuid(geteuid());
    const char *pd = pw && pw->pw_dir ? pw->pw_dir : "";
    if (foreign && strcmp(h, pd) != 0)
        fprintf(stderr, "warning: $HOME ('%s') is not owned by you, falling back to the one defined in the 'passwd' file ('%s')\n", h, pd);
    return home = nx_xstrndup(pd, strlen(pd));
}

static nx_node *parse_path(parser *p)
{
    nx_token *t = cur(p);
    uint32_t start = t->start, end = t->end;
    nx_node *first;
    if (t->type == NX_T_PATH) {
        size_t n;
        char *s = resolve_path(p, t->v.str.s, t->v.str.len, &n);
        nx_n_path *pn = MK(p, nx_n_path, NX_N_PATH, start, end);
        pn->s = s;
        pn->len = n;
        first = &pn->h;
    } else {
        const char *home = home_dir();
        nx_buf b = { 0 };
        nx_buf_adds(&b, home);
        nx_buf_add(&b, t->v.str.s + 1, t->v.str.len - 1);
        nx_n_path *pn = MK(p, nx_n_path, NX_N_PATH, start, end);
        pn->s = nx_arena_strndup(p->a, b.data, b.len);
        pn->len = b.len;
        nx_buf_free(&b);
        first = &pn->h;
    }
    advance(p);
    if (cur(p)->type == NX_T_PATH_END) {
        advance(p);
        return first;
    }
    nodevec parts = { 0 };
    nodevec_push(p, &parts, first);
    bool interpolated = false;
    for (;;) {
        t = cur(p);
        if (t->type == NX_T_PATH_END) {
            /* Literal pieces must be joined by at least one ${...}. */
            if (!interpolated) return unexpected(p, "DOLLAR_CURLY");
            advance(p);
            return mk_concat(p, &parts, false, start, end);
        }
        if (t->type == NX_T_STR) {
            if (!interpolated && parts.n > 1) return unexpected(p, "DOLLAR_CURLY");
            nodevec_push(p, &parts, mk_str(p, nx_arena_strndup(p->a, t->v.str.s, t->v.str.len), t->v.str.len, t->start, t->end));
            end = t->end;
            advance(p);
        } else if (t->type == NX_T_DOLLAR_CURLY) {
            uint32_t dpos = t->start; /* a part's errors point at its `${` */
            advance(p);
            nx_node *e = parse_expr(p);
            if (!e) return NULL;
            end = cur(p)->end;
            if (!expect_char(p, '}', "'}'")) return NULL;
            nodevec_push_at(p, &parts, e, dpos);
            interpolated = true;
        } else {
            return unexpected(p, NULL);
        }
    }
}

/* attr: ID | OR_KW | "string" | ${expr} */
static bool parse_attrname(parser *p, nx_attrname *out, bool *ok)
{
    nx_token *t = cur(p);
    out->pos = t->start;
    out->expr = NULL;
    out->sym = NX_SYM_NONE;
    if (t->type == NX_T_ID) {
        out->sym = nx_sym_intern(t->v.str.s, t->v.str.len);
        nx_sym_mark_born(out->sym);
        advance(p);
        return true;
    }
    if (t->type == NX_T_OR_KW) {
        out->sym = p->s_or;
        nx_sym_mark_born(out->sym);
        advance(p);
        return true;
    }
    if (is_char(t, '"')) {
        uint32_t start = t->start;
        advance(p);
        nx_node *s = parse_string_body(p, start);
        if (!s) {
            *ok = false;
            return false;
        }
        if (s->kind == NX_N_STR) {
            out->sym = nx_sym_intern(((nx_n_str *)s)->s, ((nx_n_str *)s)->len);
            nx_sym_mark_born(out->sym);
        } else {
            out->expr = s;
        }
        return true;
    }
    if (t->type == NX_T_DOLLAR_CURLY) {
        /* ${e}: static when e is a plain string literal (as in CppNix). */
        advance(p);
        nx_node *e = parse_expr(p);
        if (!e || !expect_char(p, '}', "'}'")) {
            *ok = false;
            return false;
        }
        if (e->kind == NX_N_STR) {
            out->sym = nx_sym_intern(((nx_n_str *)e)->s, ((nx_n_str *)e)->len);
            nx_sym_mark_born(out->sym);
        } else {
            out->expr = e;
        }
        return true;
    }
    return false;
}

/* An attribute path being parsed. Its first components live in inl (the
 * caller's frame): a binding's path is dropped once add_attr has used it,
 * so only paths that a node keeps (select, hasattr) are copied into the
 * arena, at their exact size (pathvec_keep). Most paths have one to three
 * components; before this, each binding left a 4-slot array in the tree. */
typedef struct { nx_attrname *v; uint32_t n, cap; nx_attrname inl[4]; } pathvec;

#define PATHVEC_INIT(pv) ((pv).v = (pv).inl, (pv).n = 0, (pv).cap = NX_ARRAY_LEN((pv).inl))

/* The path's components in the arena, for a node to keep. */
static nx_attrname *pathvec_keep(parser *p, pathvec *pv)
{
    if (pv->v != pv->inl) return pv->v;
    nx_attrname *v = nx_arena_alloc(p->a, pv->n * sizeof *v);
    memcpy(v, pv->v, pv->n * sizeof *v);
    return v;
}

#define ATTRNAME_EXPECTED "ID or OR_KW or DOLLAR_CURLY or '\"'"

static bool starts_attrname(const nx_token *t)
{
    return t->type == NX_T_ID || t->type == NX_T_OR_KW || t->type == NX_T_DOLLAR_CURLY || is_char(t, '"');
}

static bool parse_attrpath(parser *p, pathvec *pv)
{
    for (;;) {
        if (pv->n == pv->cap) {
            uint32_t cap = pv->cap * 2;
            pv->v = nx_arena_grow(p->a, pv->v, pv->n * sizeof *pv->v, cap * sizeof *pv->v);
            pv->cap = cap;
        }
        bool ok = true;
        if (!parse_attrname(p, &pv->v[pv->n], &ok)) {
            if (ok) unexpected(p, pv->n ? ATTRNAME_EXPECTED : NULL);
            return false;
        }
        pv->n++;
        if (!is_char(cur(p), '.')) return true;
        advance(p);
    }
}

static nx_node *parse_binds(parser *p, nx_n_attrs *as, bool in_let, int closer);

static bool can_start_select(parser *p)
{
    nx_token *t = cur(p);
    switch (t->type) {
    case NX_T_ID: case NX_T_INT: case NX_T_FLOAT: case NX_T_IND_STRING_OPEN:
    case NX_T_PATH: case NX_T_HPATH: case NX_T_SPATH: case NX_T_URI: case NX_T_REC:
        return true;
    case NX_T_LET:
        return is_char(peek_at(p, 1), '{');
    case NX_T_CHAR:
        return t->ch == '"' || t->ch == '(' || t->ch == '{' || t->ch == '[';
    default:
        return false;
    }
}

static nx_node *parse_simple(parser *p)
{
    nx_token *t = cur(p);
    uint32_t start = t->start;
    switch (t->type) {
    case NX_T_ID: {
        nx_sym s = nx_sym_intern(t->v.str.s, t->v.str.len);
        uint32_t end = t->end;
        advance(p);
        if (s == p->s_curpos) return mk(p, NX_N_CURPOS, sizeof(nx_n_curpos), start, end);
        nx_sym_mark_born(s);
        return mk_var(p, s, start, end);
    }
    case NX_T_INT: {
        nx_n_int *n = MK(p, nx_n_int, NX_N_INT, start, t->end);
        n->v = t->v.i;
        advance(p);
        return &n->h;
    }
    case NX_T_FLOAT: {
        nx_n_float *n = MK(p, nx_n_float, NX_N_FLOAT, start, t->end);
        n->v = t->v.f;
        advance(p);
        return &n->h;
    }
    case NX_T_IND_STRING_OPEN:
        advance(p);
        return parse_ind_string(p, start);
    case NX_T_PATH:
    case NX_T_HPATH:
        return parse_path(p);
    case NX_T_SPATH: {
        /* <p> is __findFile __nixPath "p" */
        nx_node *c = mk_call(p, mk_var(p, p->s_findfile, start, t->end), start, t->end, 0);
        call_push(p, (nx_n_call *)c, mk_var(p, p->s_nixpath, start, t->end));
        call_push(p, (nx_n_call *)c, mk_str(p, nx_arena_strndup(p->a, t->v.str.s + 1, t->v.str.len - 2), t->v.str.len - 2, start, t->end));
        advance(p);
        return c;
    }
    case NX_T_URI: {
        nx_node *s = mk_str(p, nx_arena_strndup(p->a, t->v.str.s, t->v.str.len), t->v.str.len, start, t->end);
        advance(p);
        return s;
    }
    case NX_T_LET: {
        /* let { binds } is (rec { binds }).body */
        advance(p);
        if (!expect_char(p, '{', "'{'")) return NULL;
        nx_n_attrs *as = mk_attrs(p, start);
        as->rec = true;
        if (!parse_binds(p, as, false, '}')) return NULL;
        as->h.end = cur(p)->end;
        if (!expect_char(p, '}', "'}'")) return NULL;
        nx_sym_mark_born(p->s_body);
        nx_n_select *s = MK(p, nx_n_select, NX_N_SELECT, start, as->h.end);
        s->e = &as->h;
        s->path = nx_arena_alloc(p->a, sizeof *s->path);
        s->path[0] = (nx_attrname){ p->s_body, NULL, start };
        s->npath = 1;
        return &s->h;
    }
    case NX_T_REC:
    case NX_T_CHAR:
        break;
    default:
        return unexpected(p, NULL);
    }
    if (t->type == NX_T_REC) {
        advance(p);
        if (!expect_char(p, '{', "'{'")) return NULL;
        nx_n_attrs *as = mk_attrs(p, start);
        as->rec = true;
        if (!parse_binds(p, as, false, '}')) return NULL;
        as->h.end = cur(p)->end;
        if (!expect_char(p, '}', "'}'")) return NULL;
        return &as->h;
    }
    switch (t->ch) {
    case '"':
        advance(p);
        return parse_string_body(p, start);
    case '(': {
        advance(p);
        nx_node *e = parse_expr(p);
        if (!e) return NULL;
        if (!expect_char(p, ')', "')'")) return NULL;
        return e;
    }
    case '{': {
        advance(p);
        nx_n_attrs *as = mk_attrs(p, start);
        if (!parse_binds(p, as, false, '}')) return NULL;
        as->h.end = cur(p)->end;
        if (!expect_char(p, '}', "'}'")) return NULL;
        return &as->h;
    }
    case '[': {
        advance(p);
        nodevec elems = { 0 };
        while (can_start_select(p)) {
            nx_node *e = parse_select(p);
            if (!e) return NULL;
            nodevec_push(p, &elems, e);
        }
        uint32_t end = cur(p)->end;
        if (!expect_char(p, ']', NULL)) return NULL;
        nx_n_list *l = MK(p, nx_n_list, NX_N_LIST, start, end);
        l->elems = elems.v;
        l->n = elems.n;
        return &l->h;
    }
    default:
        return unexpected(p, NULL);
    }
}

static nx_node *parse_select(parser *p)
{
    if (!enter(p)) return NULL;
    uint32_t start = cur(p)->start; /* includes a '(' around the operand */
    nx_node *e = parse_simple(p);
    if (!e) return NULL;
    if (is_char(cur(p), '.')) {
        advance(p);
        pathvec pv;
        PATHVEC_INIT(pv);
        if (!starts_attrname(cur(p))) return unexpected(p, ATTRNAME_EXPECTED);
        if (!parse_attrpath(p, &pv)) return NULL;
        nx_n_select *s = MK(p, nx_n_select, NX_N_SELECT, start, pv.v[pv.n - 1].expr ? pv.v[pv.n - 1].expr->end : cur(p)->start);
        s->e = e;
        s->path = pathvec_keep(p, &pv);
        s->npath = pv.n;
        if (cur(p)->type == NX_T_OR_KW) {
            advance(p);
            s->def = parse_select(p);
            if (!s->def) return NULL;
            s->h.end = s->def->end;
        }
        p->depth--;
        return &s->h;
    }
    if (cur(p)->type == NX_T_OR_KW) {
        /* `f or`: CppNix keeps `or` usable as a variable in this position. */
        nx_token *t = cur(p);
        nx_node *c = mk_call(p, e, e->start, t->end, 0);
        nx_sym_mark_born(p->s_or);
        call_push(p, (nx_n_call *)c, mk_var(p, p->s_or, e->start, t->end));
        advance(p);
        p->depth--;
        return c;
    }
    p->depth--;
    return e;
}

static nx_node *parse_app(parser *p)
{
    uint32_t start = cur(p)->start;
    nx_node *fn = parse_select(p);
    if (!fn) return NULL;
    while (can_start_select(p)) {
        nx_node *arg = parse_select(p);
        if (!arg) return NULL;
        if (fn->kind != NX_N_CALL) fn = mk_call(p, fn, start, fn->end, 0);
        call_push(p, (nx_n_call *)fn, arg);
    }
    return fn;
}

/* Binding powers, lowest first (CppNix's %left/%right/%nonassoc lines). */
enum { P_IMPL = 1, P_OR, P_AND, P_EQ, P_CMP, P_UPDATE, P_NOT, P_ADD, P_MUL, P_CONCAT, P_HAS, P_NEG };

static int binop_prec(const nx_token *t)
{
    switch (t->type) {
    case NX_T_IMPL: return P_IMPL;
    case NX_T_OR: return P_OR;
    case NX_T_AND: return P_AND;
    case NX_T_EQ: case NX_T_NEQ: return P_EQ;
    case NX_T_LEQ: case NX_T_GEQ: return P_CMP;
    case NX_T_UPDATE: return P_UPDATE;
    case NX_T_CONCAT: return P_CONCAT;
    case NX_T_CHAR:
        switch (t->ch) {
        case '<': case '>': return P_CMP;
        case '+': case '-': return P_ADD;
        case '*': case '/': return P_MUL;
        case '?': return P_HAS;
        }
        return 0;
    default:
        return 0;
    }
}

static nx_node *parse_op(parser *p, int min)
{
    if (!enter(p)) return NULL;
    nx_node *lhs;
    nx_token *t = cur(p);
    uint32_t lhs_start = t->start;
    if (is_char(t, '!')) {
        uint32_t start = t->start;
        advance(p);
        nx_node *e = parse_op(p, P_NOT + 1);
        if (!e) return NULL;
        lhs = mk_not(p, e, start);
    } else if (is_char(t, '-')) {
        uint32_t start = t->start;
        advance(p);
        nx_node *e = parse_op(p, P_NEG);
        if (!e) return NULL;
        nx_n_int *zero = MK(p, nx_n_int, NX_N_INT, start, start);
        lhs = mk_desugared(p, p->s_sub, &zero->h, e, start);
        lhs->start = start;
    } else {
        lhs = parse_app(p);
        if (!lhs) return NULL;
    }
    for (;;) {
        t = cur(p);
        int prec = binop_prec(t);
        if (!prec || prec < min || prec >= P_NEG) break;
        uint32_t oppos = t->start;
        int type = t->type, ch = t->ch;
        advance(p);
        if (prec == P_HAS) {
            pathvec pv;
            PATHVEC_INIT(pv);
            if (!starts_attrname(cur(p))) return unexpected(p, ATTRNAME_EXPECTED);
            if (!parse_attrpath(p, &pv)) return NULL;
            nx_n_hasattr *h = MK(p, nx_n_hasattr, NX_N_HASATTR, lhs->start, cur(p)->start);
            h->e = lhs;
            h->path = pathvec_keep(p, &pv);
            h->npath = pv.n;
            lhs = &h->h;
            continue;
        }
        bool right = prec == P_IMPL || prec == P_UPDATE || prec == P_CONCAT;
        uint32_t rhs_start = cur(p)->start; /* includes a '(' around it */
        nx_node *rhs = parse_op(p, right ? prec : prec + 1);
        if (!rhs) return NULL;
        if (prec == P_EQ || prec == P_CMP) {
            /* Non-associative: a < b < c is a syntax error. */
            if (binop_prec(cur(p)) == prec) return unexpected(p, NULL);
        }
        switch (type) {
        case NX_T_IMPL: lhs = mk_binop(p, NX_N_IMPL, lhs, rhs, oppos); break;
        case NX_T_OR: lhs = mk_binop(p, NX_N_OR, lhs, rhs, oppos); break;
        case NX_T_AND: lhs = mk_binop(p, NX_N_AND, lhs, rhs, oppos); break;
        case NX_T_EQ: lhs = mk_binop(p, NX_N_EQ, lhs, rhs, oppos); break;
        case NX_T_NEQ: lhs = mk_binop(p, NX_N_NEQ, lhs, rhs, oppos); break;
        case NX_T_UPDATE: lhs = mk_binop(p, NX_N_UPDATE, lhs, rhs, oppos); break;
        case NX_T_CONCAT: lhs = mk_binop(p, NX_N_CONCATLISTS, lhs, rhs, oppos); break;
        case NX_T_LEQ: /* a <= b is !(b < a) */
            lhs = mk_not(p, mk_desugared(p, p->s_less, rhs, lhs, oppos), lhs->start);
            lhs->pos = oppos;
            break;
        case NX_T_GEQ: /* a >= b is !(a < b) */
            lhs = mk_not(p, mk_desugared(p, p->s_less, lhs, rhs, oppos), lhs->start);
            lhs->pos = oppos;
            break;
        default:
            switch (ch) {
            case '<': lhs = mk_desugared(p, p->s_less, lhs, rhs, oppos); break;
            case '>': lhs = mk_desugared(p, p->s_less, rhs, lhs, oppos); break;
            case '-': lhs = mk_desugared(p, p->s_sub, lhs, rhs, oppos); break;
            case '*': lhs = mk_desugared(p, p->s_mul, lhs, rhs, oppos); break;
            case '/': lhs = mk_desugared(p, p->s_div, lhs, rhs, oppos); break;
            case '+': {
                nodevec parts = { 0 };
                nodevec_push_at(p, &parts, lhs, lhs_start);
                nodevec_push_at(p, &parts, rhs, rhs_start);
                lhs = mk_concat(p, &parts, false, lhs->start, rhs->end);
                lhs->pos = oppos;
                break;
            }
            }
        }
    }
    p->depth--;
    return lhs;
}

/* expr_if plus the pipe operators: a |> f is f a (left-assoc), f <| a is
 * f a (right-assoc); the two cannot be mixed without parentheses. */
static nx_node *parse_pipe(parser *p)
{
    nx_node *lhs = parse_op(p, 0);
    if (!lhs) return NULL;
    int kind = cur(p)->type;
    if (kind == NX_T_PIPE_INTO) {
        while (cur(p)->type == NX_T_PIPE_INTO) {
            advance(p);
            nx_node *fn = parse_op(p, 0);
            if (!fn) return NULL;
            nx_node *c = mk_call(p, fn, lhs->start, fn->end, 0);
            call_push(p, (nx_n_call *)c, lhs);
            lhs = c;
        }
        if (cur(p)->type == NX_T_PIPE_FROM) return unexpected(p, NULL);
        return lhs;
    }
    if (kind == NX_T_PIPE_FROM) {
        nodevec ops = { 0 };
        nodevec_push(p, &ops, lhs);
        while (cur(p)->type == NX_T_PIPE_FROM) {
            advance(p);
            nx_node *e = parse_op(p, 0);
            if (!e) return NULL;
            nodevec_push(p, &ops, e);
        }
        if (cur(p)->type == NX_T_PIPE_INTO) return unexpected(p, NULL);
        nx_node *acc = ops.v[ops.n - 1];
        for (uint32_t i = ops.n - 1; i-- > 0;) {
            nx_node *c = mk_call(p, ops.v[i], ops.v[i]->start, acc->end, 0);
            call_push(p, (nx_n_call *)c, acc);
            acc = c;
        }
        return acc;
    }
    return lhs;
}

static nx_node *parse_if(parser *p)
{
    nx_token *t = cur(p);
    if (t->type != NX_T_IF) return parse_pipe(p);
    uint32_t start = t->start;
    advance(p);
    nx_n_if *n = MK(p, nx_n_if, NX_N_IF, start, start);
    if (!(n->cond = parse_expr(p))) return NULL;
    if (!expect_tok(p, NX_T_THEN, "THEN")) return NULL;
    if (!(n->then = parse_expr(p))) return NULL;
    if (!expect_tok(p, NX_T_ELSE, "ELSE")) return NULL;
    if (!(n->els = parse_expr(p))) return NULL;
    n->h.end = n->els->end;
    return &n->h;
}

/* Is the '{' at the current token the start of a formals list?  Decided
 * with at most three tokens of lookahead, as CppNix's GLR parser would. */
static bool formals_ahead(parser *p)
{
    nx_token *a = peek_at(p, 1);
    if (is_char(a, '}')) {
        nx_token *b = peek_at(p, 2);
        return is_char(b, ':') || is_char(b, '@');
    }
    if (a->type == NX_T_ELLIPSIS) return true;
    if (a->type == NX_T_ID) {
        nx_token *b = peek_at(p, 2);
        /* { a } can only be formals ({ a } is no valid set). */
        if (is_char(b, ',') || is_char(b, '?') || is_char(b, '}')) return true;
    }
    return false;
}

/* Orders (name, index) pairs of formals by name, then by index. */
static int cmp_formal_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The index of the first formal whose name an earlier formal has (the one
 * CppNix reports), or n if the names are distinct.  Pairwise for the
 * usual few formals; sorted beyond, since a generated function with
 * 400,000 formals took 33 s pairwise. */
static uint32_t first_duplicate_formal(const nx_formal *v, uint32_t n)
{
    if (n <= 32) {
        for (uint32_t i = 1; i < n; i++)
            for (uint32_t j = 0; j < i; j++)
                if (v[i].name == v[j].name) return i;
        return n;
    }
    uint64_t *k = nx_xmalloc(n * sizeof *k);
    for (uint32_t i = 0; i < n; i++) k[i] = (uint64_t)v[i].name << 32 | i;
    qsort(k, n, sizeof *k, cmp_formal_key);
    /* Each name's second occurrence follows its first in k. */
    uint32_t d = n;
    for (uint32_t i = 1; i < n; i++)
        if (k[i] >> 32 == k[i - 1] >> 32 && (uint32_t)k[i] < d) d = (uint32_t)k[i];
    free(k);
    return d;
}

/* Parses { formals } (current token is '{') into lam. */
static bool parse_formals(parser *p, nx_n_lambda *lam)
{
    advance(p); /* '{' */
    lam->has_formals = true;
    nx_formal *v = NULL;
    uint32_t n = 0, cap = 0;
    for (;;) {
        nx_token *t = cur(p);
        if (is_char(t, '}')) break;
        if (t->type == NX_T_ELLIPSIS) {
            lam->ellipsis = true;
            advance(p);
            if (!is_char(cur(p), '}')) {
                unexpected(p, "'}'");
                return false;
            }
            break;
        }
        if (t->type != NX_T_ID) {
            unexpected(p, NULL);
            return false;
        }
        if (n == cap) {
            uint32_t nc = cap ? cap * 2 : 4;
            v = nx_arena_grow(p->a, v, n * sizeof *v, nc * sizeof *v);
            cap = nc;
        }
        nx_formal *f = &v[n++];
        f->name = nx_sym_intern(t->v.str.s, t->v.str.len);
        f->pos = t->start;
        f->def = NULL;
        advance(p);
        if (is_char(cur(p), '?')) {
            advance(p);
            if (!(f->def = parse_expr(p))) return false;
            f = &v[n - 1]; /* parse_expr cannot move v, but be explicit */
        }
        nx_sym_mark_born(f->name);
        if (is_char(cur(p), ',')) {
            advance(p);
            continue;
        }
        if (!is_char(cur(p), '}')) {
            unexpected(p, "'}'");
            return false;
        }
    }
    advance(p); /* '}' */
    lam->formals = v;
    lam->nformals = n;
    uint32_t d = first_duplicate_formal(v, n);
    if (d < n) {
        fail_at(p, v[d].pos, "duplicate formal function argument '%s'", nx_sym_str(v[d].name));
        return false;
    }
    return true;
}

static bool check_arg_not_formal(parser *p, nx_n_lambda *lam)
{
    if (!lam->arg) return true;
    for (uint32_t i = 0; i < lam->nformals; i++)
        if (lam->formals[i].name == lam->arg) {
            fail_at(p, lam->h.start, "duplicate formal function argument '%s'", nx_sym_str(lam->arg));
            return false;
        }
    return true;
}

static nx_node *finish_lambda(parser *p, nx_n_lambda *lam)
{
    if (!expect_char(p, ':', lam->has_formals && !lam->arg ? "':' or '@'" : "':'")) return NULL;
    if (!check_arg_not_formal(p, lam)) return NULL;
    if (!(lam->body = parse_expr(p))) return NULL;
    lam->h.end = lam->body->end;
    nx_sym_mark_born(lam->arg);
    return &lam->h;
}

static nx_node *parse_function(parser *p)
{
    nx_token *t = cur(p);
    uint32_t start = t->start;
    if (t->type == NX_T_ID) {
        nx_token *n1 = peek_at(p, 1);
        if (is_char(n1, ':')) {
            nx_n_lambda *lam = MK(p, nx_n_lambda, NX_N_LAMBDA, start, start);
            lam->arg = nx_sym_intern(t->v.str.s, t->v.str.len);
            advance(p);
            return finish_lambda(p, lam);
        }
        if (is_char(n1, '@')) {
            nx_n_lambda *lam = MK(p, nx_n_lambda, NX_N_LAMBDA, start, start);
            lam->arg = nx_sym_intern(t->v.str.s, t->v.str.len);
            advance(p);
            advance(p);
            if (!is_char(cur(p), '{')) return unexpected(p, "'{'");
            if (!parse_formals(p, lam)) return NULL;
            return finish_lambda(p, lam);
        }
    } else if (is_char(t, '{') && formals_ahead(p)) {
        nx_n_lambda *lam = MK(p, nx_n_lambda, NX_N_LAMBDA, start, start);
        if (!parse_formals(p, lam)) return NULL;
        if (is_char(cur(p), '@')) {
            advance(p);
            nx_token *id = cur(p);
            if (id->type != NX_T_ID) return unexpected(p, "ID");
            lam->arg = nx_sym_intern(id->v.str.s, id->v.str.len);
            advance(p);
        }
        return finish_lambda(p, lam);
    } else if (t->type == NX_T_ASSERT) {
        advance(p);
        nx_n_assert *n = MK(p, nx_n_assert, NX_N_ASSERT, start, start);
        if (!(n->cond = parse_expr(p))) return NULL;
        n->cond_end = cur(p)->start;
        if (!expect_char(p, ';', "';'")) return NULL;
        if (!(n->body = parse_expr(p))) return NULL;
        n->h.end = n->body->end;
        return &n->h;
    } else if (t->type == NX_T_WITH) {
        advance(p);
        nx_n_with *n = MK(p, nx_n_with, NX_N_WITH, start, start);
        if (!(n->attrs = parse_expr(p))) return NULL;
        if (!expect_char(p, ';', "';'")) return NULL;
        if (!(n->body = parse_expr(p))) return NULL;
        n->h.end = n->body->end;
        return &n->h;
    } else if (t->type == NX_T_LET && !is_char(peek_at(p, 1), '{')) {
        advance(p);
        nx_n_attrs *as = mk_attrs(p, start);
        as->rec = true;
        if (!parse_binds(p, as, true, 0)) return NULL;
        if (!expect_tok(p, NX_T_IN, NULL)) return NULL;
        nx_node *body = parse_expr(p);
        if (!body) return NULL;
        if (as->ndyn) return fail_at(p, start, "dynamic attributes not allowed in let");
        nx_n_let *l = MK(p, nx_n_let, NX_N_LET, start, body->end);
        l->attrs = as;
        l->body = body;
        return &l->h;
    }
    return parse_if(p);
}

static nx_node *parse_expr(parser *p)
{
    if (!enter(p)) return NULL;
    nx_node *e = parse_function(p);
    p->depth--;
    return e;
}

/* binds: (attrpath = expr ; | inherit attrs ; | inherit (expr) attrs ;)*
 * Stops at the closer ('}' for sets, IN for let) without consuming it. */
static nx_node *parse_binds(parser *p, nx_n_attrs *as, bool in_let, int closer)
{
    /* bison's location of the (empty-started) binds: where inherited
     * variables are reported. */
    uint32_t binds_start = p->prev_end;
    for (;;) {
        nx_token *t = cur(p);
        if (in_let ? t->type == NX_T_IN : is_char(t, closer)) return &as->h;
        if (t->type == NX_T_INHERIT) {
            advance(p);
            nx_node *from = NULL;
            if (is_char(cur(p), '(')) {
                advance(p);
                if (!(from = parse_expr(p))) return NULL;
                if (!expect_char(p, ')', "')'")) return NULL;
                if (as->nfrom == as->capfrom) {
                    uint32_t cap = as->capfrom ? as->capfrom * 2 : 2;
                    as->inherit_from = nx_arena_grow(p->a, as->inherit_from, as->nfrom * sizeof(nx_node *), cap * sizeof(nx_node *));
                    as->capfrom = cap;
                }
                as->inherit_from[as->nfrom++] = from;
            }
            /* CppNix reports the position of the (empty-started) name
             * list: the end of the token before it. */
            uint32_t listpos = p->prev_end;
            for (;;) {
                nx_attrname nm;
                bool ok = true;
                t = cur(p);
                if (is_char(t, ';')) break;
                if (!parse_attrname(p, &nm, &ok)) {
                    if (ok) unexpected(p, NULL);
                    return NULL;
                }
                if (!nm.sym) return fail_at(p, nm.pos, "dynamic attributes not allowed in inherit");
                nx_attrdef *ex = attrs_find(as, nm.sym);
                if (ex) return dup_attr(p, &nm, 1, listpos, ex->pos);
                if (from) {
                    nx_n_select *s = MK(p, nx_n_select, NX_N_SELECT, nm.pos, nm.pos);
                    s->e = from;
                    s->path = nx_arena_alloc(p->a, sizeof *s->path);
                    s->path[0] = nm;
                    s->npath = 1;
                    nx_attrdef *d = attrs_add(p, as, nm.sym, NX_ATTR_INHERIT_FROM, listpos, &s->h);
                    d->from = as->nfrom - 1;
                } else {
                    attrs_add(p, as, nm.sym, NX_ATTR_INHERIT, listpos, mk_var(p, nm.sym, binds_start, binds_start));
                }
            }
            advance(p); /* ';' */
            continue;
        }
        pathvec pv;
        PATHVEC_INIT(pv);
        uint32_t pos = t->start;
        if (!parse_attrpath(p, &pv)) return NULL;
        if (!expect_char(p, '=', "'.' or '='")) return NULL;
        nx_node *e = parse_expr(p);
        if (!e) return NULL;
        if (!expect_char(p, ';', "';'")) return NULL;
        if (!add_attr(p, as, pv.v, pv.n, e, pos)) return NULL;
    }
}

/* ---- entry points ------------------------------------------------------- */

/* Parses [start, end) of the text of source src as one expression. */
static bool parse_range(uint32_t src, const char *text, uint32_t start, uint32_t end, const char *base_dir,
                        nx_parse_result *out, nx_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    nx_arena_init(&out->arena);
    out->root = NULL;
    p.a = &out->arena;
    p.src = src;
    p.source = nx_source_get(src);
    /* A tree takes a few bytes per source byte: a large file starts
     * with big (huge-page) chunks instead of doubling up to them. */
    nx_arena_expect(p.a, (size_t)(end - start) * 2);
    p.base_dir = base_dir;
    p.err = err;
    nx_lexer_init(&p.lx, text, end, p.a);
    p.lx.pos = start;
    nx_compat28_init();
    p.s_sub = nx_sym_intern_cstr("__sub");
    p.s_mul = nx_sym_intern_cstr("__mul");
    p.s_div = nx_sym_intern_cstr("__div");
    p.s_less = nx_sym_intern_cstr("__lessThan");
    p.s_findfile = nx_sym_intern_cstr("__findFile");
    p.s_nixpath = nx_sym_intern_cstr("__nixPath");
    p.s_or = nx_sym_intern_cstr("or");
    p.s_body = nx_sym_intern_cstr("body");
    p.s_curpos = nx_sym_intern_cstr("__curPos");
    nx_node *root = parse_expr(&p);
    if (root && cur(&p)->type != NX_T_EOF) root = unexpected(&p, "end of file");
    nx_lexer_free(&p.lx);
    out->root = root;
    return root != NULL;
}

bool nx_parse(uint32_t src, const char *base_dir, nx_parse_result *out, nx_error *err)
{
    nx_source *s = nx_source_get(src);
    return parse_range(src, s->text, 0, (uint32_t)s->len, base_dir, out, err);
}

bool nx_parse_span(uint32_t src, uint32_t start, uint32_t end, nx_parse_result *out, nx_error *err)
{
    nx_source *s = nx_source_get(src);
    const char *text = nx_source_text(s);
    if (end > s->len || start > end) {
        nx_arena_init(&out->arena);
        out->root = NULL;
        nx_error_set(err, NX_NOPOS, "the text of '%s' changed", s->name);
        return false;
    }
    return parse_range(src, text, start, end, s->dir, out, err);
}

void nx_parse_free(nx_parse_result *r)
{
    nx_arena_free(&r->arena);
    r->root = NULL;
}

typedef struct { void (*fn)(void *); void *arg; } big_stack_job;

static void *big_stack_main(void *v)
{
    big_stack_job *j = v;
    j->fn(j->arg);
    return NULL;
}

void nx_run_on_big_stack(void (*fn)(void *), void *arg)
{
    /* 1 GiB of address space; pages are only committed when touched. */
    pthread_attr_t attr;
    pthread_t th;
    big_stack_job job = { fn, arg };
    if (pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, (size_t)1 << 30) == 0 &&
        pthread_create(&th, &attr, big_stack_main, &job) == 0) {
        pthread_attr_destroy(&attr);
        pthread_join(th, NULL);
        return;
    }
    /* No thread available: run here (the depth limit still applies). */
    fn(arg);
}
