/* strings.c — string builtins.  String contexts are not tracked yet. */
#include <stdio.h>
#include <string.h>

#include "vm/builtins/builtins.h"

/* coerceToString with CppNix's "coerce more" rules (toString): appends the
 * string form of v to out.  Returns 1, 0 (error) or -1 with *pending set
 * (force it and try again: forced values stay forced, so this ends). */
static int coerce(nx_vm *vm, nx_buf *out, nx_value v, bool more, nx_value *pending, int depth)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    if (depth > 10000) {
        nx_builtin_fail(vm, "value nested too deeply to convert to a string");
        return 0;
    }
    v = nx_deref(v);
    if (nx_needs_force(v)) {
        *pending = v;
        return -1;
    }
    if (nx_is_string(v) || nx_is_path(v)) {
        nx_buf_add(out, nx_str(v)->s, nx_str_len(v));
        return 1;
    }
    if (nx_is_attrs(v)) {
        static nx_sym s_tostring;
        if (!s_tostring) s_tostring = nx_sym_intern_cstr("__toString");
        nx_attr *t = nx_attrs_get(nx_attrsp(v), s_tostring);
        if (t) {
            /* __toString self: the caller substitutes the application for
             * the value (only possible at the top: nested ones fail). */
            *pending = nx_mk_app_thunk(t->value, v);
            return -2;
        }
        nx_attr *o = nx_attrs_get(nx_attrsp(v), s_outpath);
        if (o) return coerce(vm, out, o->value, more, pending, depth + 1);
    }
    if (more) {
        if (nx_is_int(v)) {
            nx_buf_printf(out, "%lld", (long long)nx_int_val(v));
            return 1;
        }
        if (nx_is_float(v)) {
            nx_buf_printf(out, "%f", nx_float_val(v));
            return 1;
        }
        if (v == NX_TRUE) {
            nx_buf_addc(out, '1');
            return 1;
        }
        if (v == NX_FALSE || v == NX_NULL) return 1;
        if (nx_is_list(v)) {
            nx_list *l = nx_listp(v);
            for (uint32_t i = 0; i < l->h.aux; i++) {
                size_t before = out->len;
                int r = coerce(vm, out, l->v[i], more, pending, depth + 1);
                if (r == -2) {
                    nx_builtin_fail(vm, "__toString inside a list is not supported yet");
                    return 0;
                }
                if (r <= 0) return r;
                if (i + 1 < l->h.aux && out->len >= before) nx_buf_addc(out, ' ');
            }
            return 1;
        }
    }
    nx_buf b = { 0 };
    nx_show_value_short(&b, v);
    nx_builtin_fail(vm, "cannot coerce %s to a string: %s", nx_type_phrase(v), b.data);
    nx_buf_free(&b);
    return 0;
}

static int step_toString(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = coerce(vm, &b, ARG(0), true, &pending, 0);
    if (r == -2) {
        /* __toString: replace the argument by its result, then retry. */
        ARG(0) = pending;
    }
    if (r < 0) {
        nx_buf_free(&b);
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    if (r == 0) {
        nx_buf_free(&b);
        return NX_STEP_ERROR;
    }
    nx_value s = b.len ? nx_mk_string(b.data, b.len, NULL) : nx_empty_string;
    nx_buf_free(&b);
    RETURN_VALUE(s);
}

static int step_stringLength(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = coerce(vm, &b, ARG(0), false, &pending, 0);
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
    EXPECT(ARG(2), nx_is_string(ARG(2)), "a string");
    int64_t start = nx_int_val(ARG(0)), len = nx_int_val(ARG(1));
    if (start < 0) FAIL("negative start position in 'substring'");
    nx_value s = ARG(2);
    int64_t n = nx_str_len(s);
    if (start >= n) RETURN_VALUE(nx_empty_string);
    /* A negative length means "to the end", as in CppNix. */
    if (len < 0 || len > n - start) len = n - start;
    RETURN_VALUE(nx_mk_string(nx_str(s)->s + start, (size_t)len, nx_str(s)->ctx));
}

static int step_concatStringsSep(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_list(ARG(1)), "a list");
    nx_list *l = nx_listp(ARG(1));
    /* SLOT(0): how many elements are known to be forced (resumption). */
    for (int64_t i = nx_is_int(SLOT(0)) ? nx_int_val(SLOT(0)) : 0; i < l->h.aux; i++) {
        nx_value e = l->v[i];
        SLOT(0) = nx_mk_smallint(i);
        NEED(e);
        l->v[i] = e;
    }
    nx_buf b = { 0 };
    for (uint32_t i = 0; i < l->h.aux; i++) {
        if (i) nx_buf_add(&b, nx_str(ARG(0))->s, nx_str_len(ARG(0)));
        nx_value pending = NX_NOVALUE;
        int r = coerce(vm, &b, l->v[i], false, &pending, 0);
        if (r == -2) {
            nx_buf_free(&b);
            FAIL("__toString in concatStringsSep is not supported yet");
        }
        if (r <= 0) {
            nx_buf_free(&b);
            if (r < 0) {
                vm->req = pending;
                return NX_STEP_FORCE;
            }
            return NX_STEP_ERROR;
        }
    }
    nx_value s = b.len ? nx_mk_string(b.data, b.len, NULL) : nx_empty_string;
    nx_buf_free(&b);
    RETURN_VALUE(s);
}

static int step_replaceStrings(nx_vm *vm, nx_frame *f)
{
    nx_value from = ARG(0), to = ARG(1), s = ARG(2);
    EXPECT(from, nx_is_list(from), "a list");
    EXPECT(to, nx_is_list(to), "a list");
    EXPECT(s, nx_is_string(s), "a string");
    uint32_t n = nx_list_len(from);
    if (n != nx_list_len(to)) FAIL("'from' and 'to' arguments passed to builtins.replaceStrings have different lengths");
    for (uint32_t i = 0; i < n; i++) {
        nx_value x = nx_listp(from)->v[i];
        NEED(x);
        nx_listp(from)->v[i] = x;
        EXPECT(x, nx_is_string(x), "a string");
    }
    /* Replacements are forced only when used, as in CppNix; force all
     * that can be used here up front for simplicity of resumption. */
    for (uint32_t i = 0; i < n; i++) {
        nx_value y = nx_listp(to)->v[i];
        NEED(y);
        nx_listp(to)->v[i] = y;
        EXPECT(y, nx_is_string(y), "a string");
    }
    const char *p = nx_str(s)->s;
    size_t len = nx_str_len(s);
    nx_buf b = { 0 };
    size_t pos = 0;
    while (pos <= len) {
        bool found = false;
        for (uint32_t i = 0; i < n; i++) {
            nx_value x = nx_listp(from)->v[i];
            size_t xl = nx_str_len(x);
            if (xl <= len - pos && memcmp(p + pos, nx_str(x)->s, xl) == 0) {
                nx_value y = nx_listp(to)->v[i];
                nx_buf_add(&b, nx_str(y)->s, nx_str_len(y));
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
    nx_value r = b.len ? nx_mk_string(b.data, b.len, NULL) : nx_empty_string;
    nx_buf_free(&b);
    RETURN_VALUE(r);
}

static const nx_builtin table[] = {
    { "toString", 1, 1, 0, false, step_toString },
    { "stringLength", 1, 1, 0, false, step_stringLength },
    { "substring", 3, 7, 0, false, step_substring },
    { "concatStringsSep", 2, 3, 1, false, step_concatStringsSep },
    { "replaceStrings", 3, 7, 0, false, step_replaceStrings },
};

const nx_builtin_table nx_builtins_strings = { table, NX_ARRAY_LEN(table) };
