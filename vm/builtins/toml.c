/* toml.c — builtins.fromTOML: toml11 parses (vm/builtins/toml11.cc), this
 * file turns its tree into Nix values as CppNix does.  Timestamps are an
 * error unless the parse-toml-timestamps experimental feature is on; then
 * they are { _type = "timestamp"; value = "…"; }. */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/builtins/toml.h"
#include "vm/nixe.h"

static bool toml_timestamps;

void nx_enable_experimental_feature(const char *name)
{
    if (strcmp(name, "parse-toml-timestamps") == 0) toml_timestamps = true;
}

/* The Nix value of a TOML node; NULL-free strings only.  Returns
 * NX_NOVALUE with *err set (a static message or a malloc'd one in *owned)
 * on a timestamp (feature off) or a NUL byte.  Recursion follows the
 * nesting toml11's parser accepted. */
static nx_value convert(const nx_toml_node *n, const char **err, char **owned)
{
    switch (n->kind) {
    case NX_TOML_TABLE: {
        nx_attrs *a = nx_alloc_attrs((uint32_t)n->n);
        for (size_t i = 0; i < n->n; i++) {
            const nx_toml_node *c = &n->children[i];
            if (memchr(c->key, 0, c->keylen)) {
                *err = "input string cannot be represented as Nix string because it contains null bytes";
                return NX_NOVALUE;
            }
            nx_value v = convert(c, err, owned);
            if (!v) return NX_NOVALUE;
            a->a[i] = (nx_attr){ nx_sym_intern(c->key, c->keylen), 0, v };
        }
        nx_attrs_sort(a);
        return n->n ? nx_from_obj(a) : nx_empty_attrs;
    }
    case NX_TOML_ARRAY: {
        if (!n->n) return nx_empty_list;
        nx_list *l = nx_alloc_list((uint32_t)n->n);
        for (size_t i = 0; i < n->n; i++) l->v[i] = NX_NULL;
        for (size_t i = 0; i < n->n; i++) {
            nx_value v = convert(&n->children[i], err, owned);
            if (!v) return NX_NOVALUE;
            l->v[i] = v;
        }
        return nx_from_obj(l);
    }
    case NX_TOML_BOOL: return nx_bool(n->b);
    case NX_TOML_INT: return nx_mk_int(n->i);
    case NX_TOML_FLOAT: return nx_mk_float(n->d);
    case NX_TOML_STRING:
        if (memchr(n->s, 0, n->len)) {
            nx_buf b = { 0 };
            nx_buf_adds(&b, "input string '");
            for (size_t i = 0; i < n->len; i++)
                if (n->s[i]) nx_buf_addc(&b, n->s[i]);
                else nx_buf_adds(&b, "\xe2\x90\x80"); /* ␀, as CppNix shows it */
            nx_buf_adds(&b, "' cannot be represented as Nix string because it contains null bytes");
            *owned = b.data;
            *err = b.data;
            return NX_NOVALUE;
        }
        return n->len ? nx_mk_string(n->s, n->len, NULL) : nx_empty_string;
    case NX_TOML_DATETIME: {
        if (!toml_timestamps) {
            *err = "Dates and times are not supported";
            return NX_NOVALUE;
        }
        nx_attrs *a = nx_alloc_attrs(2);
        a->a[0] = (nx_attr){ nx_sym_intern_cstr("_type"), 0, nx_mk_cstring("timestamp") };
        a->a[1] = (nx_attr){ nx_sym_intern_cstr("value"), 0, nx_mk_string(n->s, n->len, NULL) };
        nx_attrs_sort(a);
        return nx_from_obj(a);
    }
    default: return NX_NULL;
    }
}

static int step_fromTOML(nx_vm *vm, nx_frame *f)
{
    nx_value s = ARG(0);
    EXPECT(s, nx_is_string(s), "a string");
    /* TOML documents are UTF-8; toml11 (as bundled with CppNix 2.8 too)
     * reads past its buffer on invalid UTF-8 in a literal string and
     * aborts on an assertion, so it never sees any. */
    ptrdiff_t bad = nx_utf8_error(nx_str(s)->s, nx_str_len(s));
    if (bad >= 0) FAIL("while parsing TOML: invalid UTF-8 at byte %td", bad);
    char *perr = NULL;
    nx_toml_node *root = nx_toml_parse(nx_str(s)->s, nx_str_len(s), &perr);
    if (!root) {
        nx_builtin_fail(vm, "while parsing TOML: %s", perr ? perr : "out of memory");
        free(perr);
        return NX_STEP_ERROR;
    }
    const char *err = NULL;
    char *owned = NULL;
    nx_value v = convert(root, &err, &owned);
    nx_toml_free(root);
    if (!v) {
        nx_builtin_fail(vm, "while parsing TOML: %s", err);
        free(owned);
        return NX_STEP_ERROR;
    }
    RETURN_VALUE(v);
}

static const nx_builtin table[] = {
    { "fromTOML", 1, 1, 0, false, step_fromTOML },
};

const nx_builtin_table nx_builtins_toml = { table, NX_ARRAY_LEN(table) };
