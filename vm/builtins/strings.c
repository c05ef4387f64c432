/* strings.c — string builtins; each carries string context as CppNix does. */
#include <stdio.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/store/context.h"

/* Ends a coercion into b and ctx that returned r (nx_coerce_to_string's
 * statuses): -1 when it is done, *out the string (context kept; b and ctx
 * freed), else the step status to return, NX_STEP_FORCE (vm->req set) or
 * NX_STEP_ERROR, *out untouched. */
static int coerce_finish(nx_vm *vm, nx_buf *b, nx_ctxacc *ctx, int r, nx_value pending, nx_value *out)
{
    if (r <= 0) {
        nx_buf_free(b);
        nx_ctx_free(ctx);
        if (r == 0) return NX_STEP_ERROR;
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    const nx_context *cx = nx_ctx_finish(ctx);
    *out = b->len || cx ? nx_mk_string(b->data ? b->data : "", b->len, cx) : nx_empty_string;
    nx_buf_free(b);
    return -1;
}

/* Also unsafeDiscardStringContext's (store.c); see builtins.h. */
int nx_builtin_coerce_in_place(nx_vm *vm, nx_value *slot, int flags)
{
    nx_buf b = { 0 };
    nx_ctxacc ctx = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, &b, &ctx, *slot, flags, &pending);
    if (r == -2) *slot = pending; /* __toString: its result, then retry */
    return coerce_finish(vm, &b, &ctx, r, pending, slot);
}

static int step_toString(nx_vm *vm, nx_frame *f)
{
    /* Fast paths: a string is its own string form (context kept); an
     * integer needs no buffer. */
    if (nx_is_string(ARG(0))) RETURN_VALUE(ARG(0));
    if (nx_is_int(ARG(0))) {
        char d[24];
        size_t n = nx_fmt_int(d, nx_int_val(ARG(0)));
        RETURN_VALUE(nx_mk_string(d, n, NULL));
    }
    /* Lists, __toString and outPath: the coercion keeps its place in
     * the slots across each force (elements, nested lists, __toString
     * results), so a list of n thunks costs n steps, not n*n/2. */
    nx_buf b = { 0 };
    nx_ctxacc ctx = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_resume(vm, &b, &ctx, &SLOT(0), ARG(0), NX_COERCE_MORE | NX_COERCE_PATH_TEXT, &pending);
    nx_value s;
    int st = coerce_finish(vm, &b, &ctx, r, pending, &s);
    if (st != -1) return st;
    RETURN_VALUE(s);
}

static int step_stringLength(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, &b, NULL, ARG(0), 0, &pending);
    size_t len = b.len;
    nx_buf_free(&b);
    if (r == -2) ARG(0) = pending;
    if (r < 0) {
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    if (r == 0) return NX_STEP_ERROR;
    RETURN_VALUE(nx_mk_int((int64_t)len));
}

static int step_substring(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_int(ARG(0)), "an integer");
    EXPECT(ARG(1), nx_is_int(ARG(1)), "an integer");
    int64_t start = nx_int_val(ARG(0)), len = nx_int_val(ARG(1));
    if (start < 0) FAIL("negative start position in 'substring'");
    if (!nx_is_string(ARG(2))) {
        /* CppNix coerces the string argument (a path is copied to the
         * store, a set gives its __toString or outPath). */
        int st = nx_builtin_coerce_in_place(vm, &ARG(2), 0);
        if (st >= 0) return st;
    }
    nx_value s = ARG(2);
    int64_t n = nx_str_len(s);
    if (start >= n) RETURN_VALUE(nx_str(s)->ctx ? nx_mk_string("", 0, nx_str(s)->ctx) : nx_empty_string);
    /* A negative length means "to the end", as in CppNix. */
    if (len < 0 || len > n - start) len = n - start;
    RETURN_VALUE(nx_mk_string(nx_str(s)->s + start, (size_t)len, nx_str(s)->ctx));
}

static int step_concatStringsSep(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_list(ARG(1)), "a list");
    nx_list *l = nx_listp(ARG(1));
    uint32_t n = l->h.aux;
    /* CppNix's coerceToString of each element in turn (no integers; a
     * path is copied to the store; a set gives its __toString or
     * outPath): an element is forced, or fails, only after the ones
     * before it are coerced.  SLOT(0): the index of the element being
     * coerced (resumption).  Elements that are not strings are coerced in
     * a private copy of the list in SLOT(1), made at the first one: a
     * __toString call's thunk takes the element's place there while it
     * is forced. */
    for (int64_t i = nx_is_int(SLOT(0)) ? nx_int_val(SLOT(0)) : 0; i < n; i++) {
        SLOT(0) = nx_mk_smallint(i);
        if (!nx_is_list(SLOT(1))) {
            nx_value e = l->v[i];
            NEED(e);
            l->v[i] = e;
            if (nx_is_string(e)) continue;
            nx_list *c = nx_alloc_list(n);
            memcpy(c->v, l->v, n * sizeof *c->v);
            SLOT(1) = nx_from_obj(c);
        }
        nx_list *c = nx_listp(SLOT(1));
        c->v[i] = nx_deref(c->v[i]);
        if (nx_is_string(c->v[i])) continue;
        int st = nx_builtin_coerce_in_place(vm, &c->v[i], 0);
        if (st >= 0) return st;
    }
    nx_value sep = ARG(0);
    const nx_value *vals = nx_is_list(SLOT(1)) ? nx_listp(SLOT(1))->v : l->v;
    size_t seplen = nx_str_len(sep), total = n ? seplen * (n - 1) : 0;
    /* The separator's context counts even with fewer than two elements
     * (CppNix forces it with the result's context). */
    bool has_ctx = nx_str(sep)->ctx;
    for (uint32_t i = 0; i < n; i++) {
        total += nx_str_len(vals[i]);
        if (nx_str(vals[i])->ctx) has_ctx = true;
    }
    /* One pass to size, one to copy into the result, contexts only when
     * there are any. */
    const nx_context *cx = NULL;
    if (has_ctx) {
        nx_ctxacc acc = { 0 };
        nx_ctx_add_all(&acc, nx_str(sep)->ctx);
        for (uint32_t i = 0; i < n; i++) nx_ctx_add_all(&acc, nx_str(vals[i])->ctx);
        cx = nx_ctx_finish(&acc);
    }
    if (!total && !cx) RETURN_VALUE(nx_empty_string);
    nx_string *r = nx_alloc_string(total, NX_OBJ_STRING);
    char *o = r->s;
    const char *sp = nx_str(sep)->s;
    for (uint32_t i = 0; i < n; i++) {
        if (i && seplen) {
            memcpy(o, sp, seplen);
            o += seplen;
        }
        uint32_t el = nx_str_len(vals[i]);
        memcpy(o, nx_str(vals[i])->s, el);
        o += el;
    }
    r->ctx = cx;
    RETURN_VALUE(nx_from_obj(r));
}

static int step_replaceStrings(nx_vm *vm, nx_frame *f)
{
    /* CppNix's order: both lists, their lengths, every `from` string,
     * then the subject; a `to` string only when its pattern matches. */
    nx_value from = ARG(0), to = ARG(1);
    EXPECT(from, nx_is_list(from), "a list");
    EXPECT(to, nx_is_list(to), "a list");
    uint32_t n = nx_list_len(from);
    if (n != nx_list_len(to)) FAIL("'from' and 'to' arguments passed to builtins.replaceStrings have different lengths");
    for (uint32_t i = 0; i < n; i++) {
        nx_value x = nx_listp(from)->v[i];
        NEED(x);
        nx_listp(from)->v[i] = x;
        EXPECT(x, nx_is_string(x), "a string");
    }
    NEED(ARG(2));
    nx_value s = ARG(2);
    EXPECT(s, nx_is_string(s), "a string");
    const char *p = nx_str(s)->s;
    size_t len = nx_str_len(s);
    nx_buf b = { 0 };
    nx_buf_reserve(&b, len);
    nx_ctxacc ctx = { 0 };
    nx_ctx_add_all(&ctx, nx_str(s)->ctx);
    /* Only positions whose byte starts some pattern can match (when no
     * pattern is empty): runs of other bytes are copied at once, found
     * with memchr when all patterns start with the same byte. */
    bool starts[256] = { false }, has_empty = false;
    int nfirst = 0;
    unsigned char first = 0;
    for (uint32_t i = 0; i < n; i++) {
        nx_value x = nx_listp(from)->v[i];
        if (!nx_str_len(x)) {
            has_empty = true;
            continue;
        }
        unsigned char c = (unsigned char)nx_str(x)->s[0];
        if (!starts[c]) nfirst++, first = c;
        starts[c] = true;
    }
    size_t pos = 0;
    while (pos <= len) {
        if (!has_empty) {
            size_t q = pos;
            if (nfirst == 0) q = len;
            else if (nfirst == 1) {
                const char *h = memchr(p + pos, first, len - pos);
                q = h ? (size_t)(h - p) : len;
            } else {
                while (q < len && !starts[(unsigned char)p[q]]) q++;
            }
            if (q > pos) nx_buf_add(&b, p + pos, q - pos);
            pos = q;
            if (pos == len) break; /* no non-empty pattern matches at the end */
        }
        bool found = false;
        for (uint32_t i = 0; i < n; i++) {
            nx_value x = nx_listp(from)->v[i];
            size_t xl = nx_str_len(x);
            if (xl <= len - pos && memcmp(p + pos, nx_str(x)->s, xl) == 0) {
                nx_value y = nx_deref(nx_listp(to)->v[i]);
                if (nx_needs_force(y) || !nx_is_string(y)) {
                    /* Force it and start again (at most once per `to`). */
                    nx_buf_free(&b);
                    nx_ctx_free(&ctx);
                    if (!nx_is_string(y) && !nx_needs_force(y)) return nx_builtin_type_error(vm, y, "a string");
                    vm->req = y;
                    return NX_STEP_FORCE;
                }
                nx_listp(to)->v[i] = y;
                nx_buf_add(&b, nx_str(y)->s, nx_str_len(y));
                nx_ctx_add_all(&ctx, nx_str(y)->ctx);
                found = true;
                if (xl == 0) {
                    if (pos < len) nx_buf_addc(&b, p[pos]);
                    pos++;
                } else {
                    pos += xl;
                }
                break;
            }
        }
        if (!found) {
            if (pos < len) nx_buf_addc(&b, p[pos]);
            pos++;
        }
    }
    const nx_context *cx = nx_ctx_finish(&ctx);
    nx_value r = b.len || cx ? nx_mk_string(b.data ? b.data : "", b.len, cx) : nx_empty_string;
    nx_buf_free(&b);
    RETURN_VALUE(r);
}

static const nx_builtin table[] = {
    { "toString", 1, 1, NX_COERCE_NSTATE, false, step_toString },
    { "stringLength", 1, 1, 0, false, step_stringLength },
    { "substring", 3, 7, 0, false, step_substring },
    { "concatStringsSep", 2, 3, 2, false, step_concatStringsSep },
    { "replaceStrings", 3, 3, 0, false, step_replaceStrings },
};

const nx_builtin_table nx_builtins_strings = { table, NX_ARRAY_LEN(table) };
