/* print_ast.c — the `--parse` printer.  Recursive over the tree, so it is
 * run on the front end's big stack (nx_run_on_big_stack). */
#include "vm/print_ast.h"

#include "vm/parser.h"
#include "vm/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* While nx_print_ast_fd runs, the fd its buffer is flushed to when full
 * (else -1: the buffer grows), and the errno of a failed write. */
static _Thread_local int flush_fd = -1;
static _Thread_local int flush_errno;

/* Writes out b's contents to flush_fd and empties b. */
static void flush(nx_buf *b)
{
    size_t off = 0;
    while (off < b->len && !flush_errno) {
        ssize_t w = write(flush_fd, b->data + off, b->len - off);
        if (w < 0) {
            if (errno != EINTR) flush_errno = errno;
            continue;
        }
        off += (size_t)w;
    }
    b->len = 0;
}

/* Makes room for n more bytes (and a NUL): flushes the buffer when
 * printing to an fd, else grows it. */
static __attribute__((noinline)) void make_room(nx_buf *b, size_t n)
{
    if (flush_fd >= 0 && b->len) flush(b);
    nx_buf_reserve(b, n);
}

/* Bytes that need a backslash in a printed string literal. */
static const bool needs_escape[256] = {
    ['"'] = true, ['\\'] = true, ['$'] = true, ['\n'] = true, ['\r'] = true, ['\t'] = true,
};

void nx_print_string_literal(nx_buf *b, const char *s, size_t len)
{
    /* Worst case every byte doubles: write into reserved space directly;
     * runs without special bytes are copied whole. */
    if (b->len + 2 * len + 3 > b->cap) make_room(b, 2 * len + 2);
    char *o = b->data + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && !needs_escape[(unsigned char)s[j]]) j++;
        memcpy(o, s + i, j - i);
        o += j - i;
        if (j == len) break;
        char c = s[j];
        *o++ = '\\';
        switch (c) {
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default: *o++ = c;
        }
        i = j + 1;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = 0;
}

void nx_print_identifier(nx_buf *b, const char *s, size_t len)
{
    /* As CppNix 2.8's printIdentifier: only "if" among the keywords is
     * quoted. */
    bool plain = len > 0 && !(len == 2 && s[0] == 'i' && s[1] == 'f');
    if (plain) {
        char c = s[0];
        plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        for (size_t i = 1; plain && i < len; i++) {
            c = s[i];
            plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '\'' || c == '-';
        }
    }
    if (plain) {
        if (b->len + len + 1 > b->cap) make_room(b, len);
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = 0;
    } else {
        nx_print_string_literal(b, s, len);
    }
}

/* Appends without NUL-terminating: the printer's hot path.  nx_print_ast
 * terminates the buffer once at the end. */
static inline void put(nx_buf *b, const char *s, size_t n)
{
    if (NX_UNLIKELY(b->len + n + 1 > b->cap)) make_room(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void putch(nx_buf *b, char c)
{
    if (NX_UNLIKELY(b->len + 2 > b->cap)) make_room(b, 1);
    b->data[b->len++] = c;
}

#define PUTS(b, lit) put((b), "" lit, sizeof(lit) - 1)

static void ident(nx_buf *b, nx_sym s)
{
    if (nx_sym_is_plain(s)) put(b, nx_sym_str(s), nx_sym_len(s));
    else nx_print_string_literal(b, nx_sym_str(s), nx_sym_len(s));
}

static void show(nx_buf *b, const nx_node *n);

static void show_attrpath(nx_buf *b, const nx_attrname *path, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) putch(b, '.');
        if (path[i].sym) {
            ident(b, path[i].sym);
        } else {
            PUTS(b, "\"${");
            show(b, path[i].expr);
            PUTS(b, "}\"");
        }
    }
}

static int cmp_attr(const void *x, const void *y)
{
    const nx_attrdef *a = *(nx_attrdef *const *)x, *c = *(nx_attrdef *const *)y;
    return nx_sym_cmp(a->name, c->name);
}

static int cmp_birth(nx_sym a, nx_sym b)
{
    uint32_t x = nx_sym_birth(a), y = nx_sym_birth(b);
    if (x != y) return x < y ? -1 : 1;
    return nx_sym_cmp(a, b);
}

static int cmp_attr_birth(const void *x, const void *y)
{
    const nx_attrdef *a = *(nx_attrdef *const *)x, *c = *(nx_attrdef *const *)y;
    return cmp_birth(a->name, c->name);
}

static int cmp_formal_birth(const void *x, const void *y)
{
    const nx_formal *a = *(nx_formal *const *)x, *c = *(nx_formal *const *)y;
    return cmp_birth(a->name, c->name);
}

/* Sorts an array of pointers: insertion sort for the short arrays most
 * sets and formals have (no allocation, few calls), qsort beyond.  The
 * comparisons are total orders (names are unique), so stability does not
 * matter. */
static void sort_ptrs(const void **v, uint32_t n, int (*cmp)(const void *, const void *))
{
    if (n > 16) {
        qsort(v, n, sizeof *v, cmp);
        return;
    }
    for (uint32_t i = 1; i < n; i++) {
        const void *x = v[i];
        uint32_t j = i;
        while (j > 0 && cmp(&x, &v[j - 1]) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Attribute definitions sorted: sets by name (2.8 sorts them when
 * printing), let bindings by symbol birth (2.8 prints its std::map, which
 * is ordered by symbol address). */
static const nx_attrdef **sorted_attrs(const nx_n_attrs *as, bool by_birth)
{
    const nx_attrdef **v = nx_xmalloc((as->nattrs + 1) * sizeof *v);
    /* The values are printed next, in another order: start loading them
     * now (a large tree does not stay in cache between parse and print). */
    for (uint32_t i = 0; i < as->nattrs; i++) {
        v[i] = &as->attrs[i];
        __builtin_prefetch(as->attrs[i].value);
    }
    sort_ptrs((const void **)v, as->nattrs, by_birth ? cmp_attr_birth : cmp_attr);
    return v;
}

static void show_binop(nx_buf *b, const nx_node *n, const char *op)
{
    const nx_n_binop *o = (const nx_n_binop *)n;
    putch(b, '(');
    show(b, o->a);
    putch(b, ' ');
    put(b, op, 2); /* every binary operator is two bytes */
    putch(b, ' ');
    show(b, o->b);
    putch(b, ')');
}

static void show(nx_buf *b, const nx_node *n)
{
    switch (n->kind) {
    case NX_N_INT:
        if (b->len + 32 > b->cap) make_room(b, 32);
        nx_buf_printf(b, "%lld", (long long)((const nx_n_int *)n)->v);
        break;
    case NX_N_FLOAT:
        if (b->len + 32 > b->cap) make_room(b, 32);
        nx_buf_printf(b, "%g", ((const nx_n_float *)n)->v);
        break;
    case NX_N_STR: {
        const nx_n_str *s = (const nx_n_str *)n;
        nx_print_string_literal(b, s->s, s->len);
        break;
    }
    case NX_N_PATH: {
        const nx_n_path *s = (const nx_n_path *)n;
        put(b, s->s, s->len);
        break;
    }
    case NX_N_VAR:
        ident(b, ((const nx_n_var *)n)->name);
        break;
    case NX_N_SELECT: {
        const nx_n_select *s = (const nx_n_select *)n;
        putch(b, '(');
        show(b, s->e);
        PUTS(b, ").");
        show_attrpath(b, s->path, s->npath);
        if (s->def) {
            PUTS(b, " or (");
            show(b, s->def);
            putch(b, ')');
        }
        break;
    }
    case NX_N_HASATTR: {
        const nx_n_hasattr *h = (const nx_n_hasattr *)n;
        PUTS(b, "((");
        show(b, h->e);
        PUTS(b, ") ? ");
        show_attrpath(b, h->path, h->npath);
        putch(b, ')');
        break;
    }
    case NX_N_ATTRS: {
        const nx_n_attrs *as = (const nx_n_attrs *)n;
        if (as->rec) PUTS(b, "rec ");
        PUTS(b, "{ ");
        const nx_attrdef **v = sorted_attrs(as, false);
        for (uint32_t i = 0; i < as->nattrs; i++) {
            if (v[i]->kind == NX_ATTR_INHERIT) {
                PUTS(b, "inherit ");
                ident(b, v[i]->name);
                PUTS(b, " ; ");
            } else {
                ident(b, v[i]->name);
                PUTS(b, " = ");
                show(b, v[i]->value);
                PUTS(b, "; ");
            }
        }
        free(v);
        for (uint32_t i = 0; i < as->ndyn; i++) {
            PUTS(b, "\"${");
            show(b, as->dyn[i].name);
            PUTS(b, "}\" = ");
            show(b, as->dyn[i].value);
            PUTS(b, "; ");
        }
        putch(b, '}');
        break;
    }
    case NX_N_LIST: {
        const nx_n_list *l = (const nx_n_list *)n;
        PUTS(b, "[ ");
        for (uint32_t i = 0; i < l->n && i < 16; i++) __builtin_prefetch(l->elems[i]);
        for (uint32_t i = 0; i < l->n; i++) {
            putch(b, '(');
            show(b, l->elems[i]);
            PUTS(b, ") ");
        }
        putch(b, ']');
        break;
    }
    case NX_N_LAMBDA: {
        const nx_n_lambda *l = (const nx_n_lambda *)n;
        putch(b, '(');
        if (l->has_formals) {
            PUTS(b, "{ ");
            /* 2.8 sorts formals by symbol address, i.e. birth order. */
            const nx_formal **fv = nx_xmalloc((l->nformals + 1) * sizeof *fv);
            for (uint32_t i = 0; i < l->nformals; i++) fv[i] = &l->formals[i];
            sort_ptrs((const void **)fv, l->nformals, cmp_formal_birth);
            for (uint32_t i = 0; i < l->nformals; i++) {
                if (i) PUTS(b, ", ");
                ident(b, fv[i]->name);
                if (fv[i]->def) {
                    PUTS(b, " ? ");
                    show(b, fv[i]->def);
                }
            }
            free(fv);
            if (l->ellipsis) {
                if (l->nformals) PUTS(b, ", ...");
                else PUTS(b, "...");
            }
            PUTS(b, " }");
            if (l->arg) PUTS(b, " @ ");
        }
        if (l->arg) ident(b, l->arg);
        PUTS(b, ": ");
        show(b, l->body);
        putch(b, ')');
        break;
    }
    case NX_N_CALL: {
        const nx_n_call *c = (const nx_n_call *)n;
        putch(b, '(');
        for (uint32_t i = 0; i < c->nargs; i++) __builtin_prefetch(c->args[i]);
        show(b, c->fn);
        for (uint32_t i = 0; i < c->nargs; i++) {
            putch(b, ' ');
            show(b, c->args[i]);
        }
        putch(b, ')');
        break;
    }
    case NX_N_LET: {
        const nx_n_let *l = (const nx_n_let *)n;
        PUTS(b, "(let ");
        const nx_attrdef **v = sorted_attrs(l->attrs, true);
        for (uint32_t i = 0; i < l->attrs->nattrs; i++) {
            if (v[i]->kind == NX_ATTR_INHERIT) {
                PUTS(b, "inherit ");
                ident(b, v[i]->name);
                PUTS(b, "; ");
            } else {
                ident(b, v[i]->name);
                PUTS(b, " = ");
                show(b, v[i]->value);
                PUTS(b, "; ");
            }
        }
        free(v);
        PUTS(b, "in ");
        show(b, l->body);
        putch(b, ')');
        break;
    }
    case NX_N_WITH: {
        const nx_n_with *w = (const nx_n_with *)n;
        PUTS(b, "(with ");
        show(b, w->attrs);
        PUTS(b, "; ");
        show(b, w->body);
        putch(b, ')');
        break;
    }
    case NX_N_IF: {
        const nx_n_if *i = (const nx_n_if *)n;
        PUTS(b, "(if ");
        show(b, i->cond);
        PUTS(b, " then ");
        show(b, i->then);
        PUTS(b, " else ");
        show(b, i->els);
        putch(b, ')');
        break;
    }
    case NX_N_ASSERT: {
        const nx_n_assert *a = (const nx_n_assert *)n;
        PUTS(b, "assert ");
        show(b, a->cond);
        PUTS(b, "; ");
        show(b, a->body);
        break;
    }
    case NX_N_NOT:
        PUTS(b, "(! ");
        show(b, ((const nx_n_not *)n)->e);
        putch(b, ')');
        break;
    case NX_N_EQ: show_binop(b, n, "=="); break;
    case NX_N_NEQ: show_binop(b, n, "!="); break;
    case NX_N_AND: show_binop(b, n, "&&"); break;
    case NX_N_OR: show_binop(b, n, "||"); break;
    case NX_N_IMPL: show_binop(b, n, "->"); break;
    case NX_N_UPDATE: show_binop(b, n, "//"); break;
    case NX_N_CONCATLISTS: show_binop(b, n, "++"); break;
    case NX_N_CONCATSTRINGS: {
        const nx_n_concat *c = (const nx_n_concat *)n;
        putch(b, '(');
        for (uint32_t i = 0; i < c->n; i++) {
            if (i) PUTS(b, " + ");
            show(b, c->parts[i]);
        }
        putch(b, ')');
        break;
    }
    case NX_N_CURPOS:
        PUTS(b, "__curPos");
        break;
    default:
        PUTS(b, "«unknown»");
    }
}

void nx_print_ast(nx_buf *out, const nx_node *n)
{
    /* The printed tree is about as long as its source text: reserving
     * that once saves the copies of a buffer grown by doubling.  Its own
     * span, not its file's length. */
    if (n->end > n->start) nx_buf_reserve(out, (size_t)(n->end - n->start) * 5 / 4 + 64);
    show(out, n);
    nx_buf_reserve(out, 0);
    out->data[out->len] = 0;
}

bool nx_print_ast_fd(int fd, const nx_node *n)
{
    /* A buffer that stays in cache: flushed whenever it is full. */
    nx_buf b = { 0 };
    nx_buf_reserve(&b, 64 * 1024);
    flush_fd = fd;
    flush_errno = 0;
    show(&b, n);
    putch(&b, '\n');
    flush(&b);
    int e = flush_errno;
    flush_fd = -1;
    nx_buf_free(&b);
    errno = e;
    return e == 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void nx_print_span(nx_buf *out, uint32_t src, uint32_t start, uint32_t end)
{
    /* A file's text released after compiling is read again for this and
     * released again: outpaths fails assertions (under tryEval) in 16
     * files, all-packages.nix among them, and keeping their texts raised
     * its peak by 2 MB. */
    bool released = !nx_source_get(src)->text;
    nx_parse_result r;
    nx_error err = { 0 };
    if (nx_parse_span(src, start, end, &r, &err)) {
        nx_print_ast(out, r.root);
    } else {
        /* Only if the file changed on disk since it was compiled: its
         * text as it is now, trimmed. */
        nx_source *s = nx_source_get(src);
        const char *t = nx_source_text(s);
        if (end > s->len) end = (uint32_t)s->len;
        while (start < end && is_blank(t[start])) start++;
        while (end > start && is_blank(t[end - 1])) end--;
        if (start < end) nx_buf_add(out, t + start, end - start);
        nx_buf_reserve(out, 0);
        out->data[out->len] = 0;
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
    if (released) nx_source_release_text(src);
}
