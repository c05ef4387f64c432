/* store.c — string context and store builtins: getContext, hasContext,
 * appendContext, unsafeDiscardStringContext, unsafeDiscardOutputDependency,
 * addDrvOutputDependencies, storePath, placeholder, toFile, hashString,
 * hashFile, convertHash.  Store paths are computed, never written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/store/context.h"
#include "vm/store/drv.h"
#include "vm/store/path.h"

static bool is_drv_path(const char *p)
{
    size_t n = strlen(p);
    return n > 4 && strcmp(p + n - 4, ".drv") == 0;
}

/* A string with the same bytes as s and context c. */
static nx_value with_ctx(nx_value s, const nx_context *c)
{
    if (!c && !nx_str_len(s)) return nx_empty_string;
    return nx_mk_string(nx_str(s)->s, nx_str_len(s), c);
}

static const nx_context *single_ctx(const char *e)
{
    nx_ctxacc a = { 0 };
    nx_ctx_add(&a, e, strlen(e));
    return nx_ctx_finish(&a);
}

static nx_value mk_ctx_string(const char *s, const char *elem)
{
    return nx_mk_string(s, strlen(s), elem ? single_ctx(elem) : NULL);
}

static int step_hasContext(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    RETURN_VALUE(nx_bool(nx_str(ARG(0))->ctx != NULL));
}

static int step_unsafeDiscardStringContext(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    if (!nx_str(ARG(0))->ctx) RETURN_VALUE(ARG(0));
    RETURN_VALUE(with_ctx(ARG(0), NULL));
}

static int step_unsafeDiscardOutputDependency(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const nx_context *c = nx_str(ARG(0))->ctx;
    if (!c) RETURN_VALUE(ARG(0));
    nx_ctxacc a = { 0 };
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e))
        nx_ctx_add(&a, e[0] == '=' ? e + 1 : e, strlen(e[0] == '=' ? e + 1 : e));
    RETURN_VALUE(with_ctx(ARG(0), nx_ctx_finish(&a)));
}

static int step_addDrvOutputDependencies(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const nx_context *c = nx_str(ARG(0))->ctx;
    uint32_t n = c ? c->h.aux : 0;
    if (n != 1) FAIL("context of string '%s' must have exactly one element, but has %u", nx_str(ARG(0))->s, n);
    const char *e = nx_ctx_first(c);
    if (e[0] == '=') RETURN_VALUE(ARG(0));
    if (e[0] == '!')
        FAIL("`addDrvOutputDependencies` can only act on derivations, not on a derivation output such as '%.*s'",
             (int)(strchr(e + 1, '!') - e - 1), e + 1);
    if (!is_drv_path(e)) FAIL("path '%s' is not a derivation", e);
    nx_buf b = { 0 };
    nx_buf_printf(&b, "=%s", e);
    nx_value r = with_ctx(ARG(0), single_ctx(b.data));
    nx_buf_free(&b);
    RETURN_VALUE(r);
}

/* getContext: { "/nix/store/…" = { path = true; allOutputs = true;
 * outputs = [ … ]; }; } with only the fields that apply. */
static int step_getContext(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_path, s_all, s_outputs;
    if (!s_path) {
        s_path = nx_sym_intern_cstr("path");
        s_all = nx_sym_intern_cstr("allOutputs");
        s_outputs = nx_sym_intern_cstr("outputs");
    }
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const nx_context *c = nx_str(ARG(0))->ctx;
    if (!c) RETURN_VALUE(nx_empty_attrs);
    uint32_t n = c->h.aux, k = 0;
    struct info { const char *path; bool plain, all; const char *outs[64]; uint32_t nouts; } *v = nx_xcalloc(n, sizeof *v);
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) {
        const char *p = e, *out = NULL;
        size_t outlen = 0;
        if (e[0] == '=') p = e + 1;
        else if (e[0] == '!') {
            out = e + 1;
            p = strchr(e + 1, '!') + 1;
            outlen = (size_t)(p - 1 - out);
        }
        uint32_t i = 0;
        while (i < k && strcmp(v[i].path, p)) i++;
        if (i == k) v[k++].path = p;
        if (e[0] == '=') v[i].all = true;
        else if (out) {
            if (v[i].nouts < 64) v[i].outs[v[i].nouts++] = out;
            (void)outlen;
        } else v[i].plain = true;
    }
    nx_attrs *r = nx_alloc_attrs(k);
    for (uint32_t i = 0; i < k; i++) {
        nx_attrs *a = nx_alloc_attrs(3);
        uint32_t m = 0;
        if (v[i].plain) a->a[m++] = (nx_attr){ s_path, 0, NX_TRUE };
        if (v[i].all) a->a[m++] = (nx_attr){ s_all, 0, NX_TRUE };
        if (v[i].nouts) {
            nx_list *l = nx_alloc_list(v[i].nouts);
            for (uint32_t j = 0; j < v[i].nouts; j++) {
                const char *o = v[i].outs[j];
                l->v[j] = nx_mk_string(o, (size_t)(strchr(o, '!') - o), NULL);
            }
            a->a[m++] = (nx_attr){ s_outputs, 0, nx_from_obj(l) };
        }
        a->h.aux = m;
        nx_attrs_sort(a);
        r->a[i] = (nx_attr){ nx_sym_intern_cstr(v[i].path), 0, nx_from_obj(a) };
    }
    free(v);
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

/* appendContext s { "/nix/store/…" = { path?; allOutputs?; outputs?; }; }
 * Forces the nested values first (each step restarts the scan: forcing
 * is idempotent), then builds the context in one go. */
static int step_appendContext(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_path, s_all, s_outputs;
    if (!s_path) {
        s_path = nx_sym_intern_cstr("path");
        s_all = nx_sym_intern_cstr("allOutputs");
        s_outputs = nx_sym_intern_cstr("outputs");
    }
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_attrs(ARG(1)), "a set");
    nx_attrs *set = nx_attrsp(ARG(1));
    for (uint32_t i = 0; i < set->h.aux; i++) {
        nx_value x = set->a[i].value;
        NEED(x);
        set->a[i].value = x;
        EXPECT(x, nx_is_attrs(x), "a set");
        nx_attrs *a = nx_attrsp(x);
        for (uint32_t j = 0; j < a->h.aux; j++) {
            nx_value y = a->a[j].value;
            NEED(y);
            a->a[j].value = y;
            if (a->a[j].name == s_outputs && nx_is_list(y))
                for (uint32_t q = 0; q < nx_list_len(y); q++) {
                    nx_value z = nx_listp(y)->v[q];
                    NEED(z);
                    nx_listp(y)->v[q] = z;
                }
        }
    }
    nx_ctxacc acc = { 0 };
    nx_ctx_add_all(&acc, nx_str(ARG(0))->ctx);
    nx_attr **order = nx_attrs_by_name(set);
    int status = -1;
    for (uint32_t i = 0; i < set->h.aux && status < 0; i++) {
        const char *p = nx_sym_str(order[i]->name);
        if (!nx_is_store_path(p, strlen(p))) {
            status = nx_builtin_fail(vm, "context key '%s' is not a store path", p);
            break;
        }
        nx_attrs *a = nx_attrsp(nx_deref(order[i]->value));
        nx_attr *pa = nx_attrs_get(a, s_path), *aa = nx_attrs_get(a, s_all), *oa = nx_attrs_get(a, s_outputs);
        if (pa) {
            nx_value b = nx_deref(pa->value);
            if (b != NX_TRUE && b != NX_FALSE) { status = nx_builtin_type_error(vm, b, "a Boolean"); break; }
            if (b == NX_TRUE) nx_ctx_add(&acc, p, strlen(p));
        }
        if (aa) {
            nx_value b = nx_deref(aa->value);
            if (b != NX_TRUE && b != NX_FALSE) { status = nx_builtin_type_error(vm, b, "a Boolean"); break; }
            if (b == NX_TRUE) {
                if (!is_drv_path(p)) {
                    status = nx_builtin_fail(vm, "tried to add all-outputs context of %s, which is not a derivation, to a string", p);
                    break;
                }
                nx_buf e = { 0 };
                nx_buf_printf(&e, "=%s", p);
                nx_ctx_add(&acc, e.data, e.len);
                nx_buf_free(&e);
            }
        }
        if (oa) {
            nx_value l = nx_deref(oa->value);
            if (!nx_is_list(l)) { status = nx_builtin_type_error(vm, l, "a list"); break; }
            if (nx_list_len(l) && !is_drv_path(p)) {
                status = nx_builtin_fail(vm, "tried to add derivation output context of %s, which is not a derivation, to a string", p);
                break;
            }
            for (uint32_t q = 0; q < nx_list_len(l) && status < 0; q++) {
                nx_value o = nx_deref(nx_listp(l)->v[q]);
                if (!nx_is_string(o)) { status = nx_builtin_type_error(vm, o, "a string"); break; }
                nx_buf e = { 0 };
                nx_buf_printf(&e, "!%s!%s", nx_str(o)->s, p);
                nx_ctx_add(&acc, e.data, e.len);
                nx_buf_free(&e);
            }
        }
    }
    free(order);
    if (status >= 0) {
        nx_ctx_free(&acc);
        return status;
    }
    RETURN_VALUE(with_ctx(ARG(0), nx_ctx_finish(&acc)));
}

static int step_placeholder(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT_NO_CTX(ARG(0));
    char *p = nx_store_placeholder(nx_str(ARG(0))->s);
    nx_value r = nx_mk_cstring(p);
    free(p);
    RETURN_VALUE(r);
}

/* storePath p: p must lie in the store; the result names the store path
 * in its context. */
static int step_storePath(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    nx_ctxacc acc = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, &b, &acc, ARG(0), NX_COERCE_PATH_TEXT, &pending);
    if (r == -2) ARG(0) = pending;
    if (r <= 0) {
        nx_buf_free(&b);
        nx_ctx_free(&acc);
        if (r == 0) return NX_STEP_ERROR;
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    const char *dir = nx_store_dir();
    size_t dl = strlen(dir);
    char *s = b.data ? b.data : "";
    size_t end = dl + 1;
    if (b.len > dl + 1 && memcmp(s, dir, dl) == 0 && s[dl] == '/')
        while (end < b.len && s[end] != '/') end++;
    if (!nx_is_store_path(s, end)) {
        nx_ctx_free(&acc);
        int st = nx_builtin_fail(vm, "path '%s' is not in the Nix store", s);
        nx_buf_free(&b);
        return st;
    }
    nx_ctx_add(&acc, s, end);
    nx_value v = nx_mk_string(s, b.len, nx_ctx_finish(&acc));
    nx_buf_free(&b);
    RETURN_VALUE(v);
}

/* toFile name contents: a text path whose references are the plain
 * paths of the contents' context; derivations are refused. */
static int step_toFile(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    EXPECT_NO_CTX(ARG(0));
    const char *name = nx_str(ARG(0))->s;
    char *bad = nx_store_check_name(name, nx_str_len(ARG(0)));
    if (bad) {
        /* CppNix fails when making the path: "path 'HASH-NAME' is not a
         * valid store path: …". */
        char *p = nx_store_text_path(name, nx_str(ARG(1))->s, nx_str_len(ARG(1)), NULL, 0);
        const char *base = p + strlen(nx_store_dir()) + 1;
        int st = nx_builtin_fail(vm, "path '%s' is not a valid store path: %s", base, bad);
        free(p);
        free(bad);
        return st;
    }
    const nx_context *c = nx_str(ARG(1))->ctx;
    size_t n = 0;
    char **refs = nx_xmalloc(((c ? c->h.aux : 0) + 1) * sizeof *refs);
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) {
        if (e[0] == '=' || e[0] == '!') {
            free(refs);
            FAIL("files created by builtins.toFile may not reference derivations, but %s references %s", name, e);
        }
        refs[n++] = (char *)e;
    }
    char *path = nx_store_text_path(name, nx_str(ARG(1))->s, nx_str_len(ARG(1)), refs, n);
    nx_store_note_refs(path, refs, n);
    free(refs);
    nx_value r = mk_ctx_string(path, path);
    free(path);
    RETURN_VALUE(r);
}

/* ---- hashes ------------------------------------------------------------- */

static int hash_result(nx_vm *vm, const nx_hash *h, int format)
{
    char out[200];
    size_t n = nx_hash_format(out, h, format, false);
    RETURN_VALUE(nx_mk_string(out, n, NULL));
}

static int step_hashString(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    EXPECT_NO_CTX(ARG(0));
    int algo = nx_hash_algo_parse(nx_str(ARG(0))->s, nx_str_len(ARG(0)));
    if (algo < 0) FAIL("%s", nx_hash_algo_error(nx_str(ARG(0))->s));
    nx_hash h;
    nx_hash_digest(algo, nx_str(ARG(1))->s, nx_str_len(ARG(1)), &h);
    return hash_result(vm, &h, NX_HASH_BASE16);
}

static int step_hashFile(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT_NO_CTX(ARG(0));
    int algo = nx_hash_algo_parse(nx_str(ARG(0))->s, nx_str_len(ARG(0)));
    if (algo < 0) FAIL("%s", nx_hash_algo_error(nx_str(ARG(0))->s));
    nx_buf b = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, &b, NULL, ARG(1), NX_COERCE_PATH_TEXT, &pending);
    if (r == -2) ARG(1) = pending;
    if (r <= 0) {
        nx_buf_free(&b);
        if (r == 0) return NX_STEP_ERROR;
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    FILE *fp = fopen(b.data ? b.data : "", "rb");
    if (!fp) {
        int st = nx_builtin_fail(vm, "opening file '%s': %s", b.data ? b.data : "", strerror(errno));
        nx_buf_free(&b);
        return st;
    }
    nx_buf_free(&b);
    nx_hash_ctx c;
    nx_hash_init(&c, algo);
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) nx_hash_update(&c, buf, got);
    fclose(fp);
    nx_hash h;
    nx_hash_final(&c, &h);
    return hash_result(vm, &h, NX_HASH_BASE16);
}

/* convertHash { hash; toHashFormat; hashAlgo ? }. */
static int step_convertHash(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_hash, s_format, s_algo;
    if (!s_hash) {
        s_hash = nx_sym_intern_cstr("hash");
        s_format = nx_sym_intern_cstr("toHashFormat");
        s_algo = nx_sym_intern_cstr("hashAlgo");
    }
    EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
    nx_attrs *a = nx_attrsp(ARG(0));
    nx_attr *ha = nx_attrs_get(a, s_hash), *fa = nx_attrs_get(a, s_format), *aa = nx_attrs_get(a, s_algo);
    if (!ha) FAIL("attribute 'hash' missing");
    nx_value hv = ha->value;
    NEED(hv);
    ha->value = hv;
    EXPECT(hv, nx_is_string(hv), "a string");
    EXPECT_NO_CTX(hv);
    int algo = -1;
    if (aa) {
        nx_value av = aa->value;
        NEED(av);
        aa->value = av;
        EXPECT(av, nx_is_string(av), "a string");
        algo = nx_hash_algo_parse(nx_str(av)->s, nx_str_len(av));
        if (algo < 0) FAIL("%s", nx_hash_algo_error(nx_str(av)->s));
    }
    if (!fa) FAIL("attribute 'toHashFormat' missing");
    nx_value fv = fa->value;
    NEED(fv);
    fa->value = fv;
    EXPECT(fv, nx_is_string(fv), "a string");
    const char *fs = nx_str(fv)->s;
    int format = strcmp(fs, "base16") == 0 ? NX_HASH_BASE16
               : strcmp(fs, "nix32") == 0 || strcmp(fs, "base32") == 0 ? NX_HASH_NIX32
               : strcmp(fs, "base64") == 0 ? NX_HASH_BASE64
               : strcmp(fs, "sri") == 0 ? NX_HASH_SRI : -1;
    if (format < 0) FAIL("unknown hash format '%s', expect 'base16', 'base32', 'base64', or 'sri'", fs);
    nx_hash h;
    char *err = NULL;
    if (!nx_hash_parse(nx_str(hv)->s, nx_str_len(hv), algo, &h, &err)) {
        int st = nx_builtin_fail(vm, "%s", err);
        free(err);
        return st;
    }
    return hash_result(vm, &h, format);
}

static const nx_builtin table[] = {
    { "getContext", 1, 1, 0, false, step_getContext },
    { "hasContext", 1, 1, 0, false, step_hasContext },
    { "appendContext", 2, 3, 0, false, step_appendContext },
    { "unsafeDiscardStringContext", 1, 1, 0, false, step_unsafeDiscardStringContext },
    { "unsafeDiscardOutputDependency", 1, 1, 0, false, step_unsafeDiscardOutputDependency },
    { "addDrvOutputDependencies", 1, 1, 0, false, step_addDrvOutputDependencies },
    { "placeholder", 1, 1, 0, false, step_placeholder },
    { "storePath", 1, 1, 0, false, step_storePath },
    { "toFile", 2, 3, 0, false, step_toFile },
    { "hashString", 2, 3, 0, false, step_hashString },
    { "hashFile", 2, 3, 0, false, step_hashFile },
    { "convertHash", 1, 1, 0, false, step_convertHash },
};

const nx_builtin_table nx_builtins_store = { table, NX_ARRAY_LEN(table) };
