/* store.c — string context and store builtins: getContext, hasContext,
 * appendContext, unsafeDiscardStringContext, unsafeDiscardOutputDependency,
 * addDrvOutputDependencies, storePath, placeholder, toFile, hashString,
 * hashFile, convertHash.  Store paths are computed, never written. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vm/builtins/builtins.h"
#include "vm/store/context.h"
#include "vm/store/drv.h"
#include "vm/store/path.h"

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

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

/* CppNix coerces the argument (coerceToString: a path is copied to the
 * store, a set gives its __toString's result or its outPath) and drops
 * the context of the string it gets: `unsafeDiscardStringContext drv` is
 * the bare out path. */
static int step_unsafeDiscardStringContext(nx_vm *vm, nx_frame *f)
{
    if (!nx_is_string(ARG(0))) {
        int st = nx_builtin_coerce_in_place(vm, &ARG(0), 0);
        if (st != -1) return st;
    }
    RETURN_VALUE(nx_str(ARG(0))->ctx ? with_ctx(ARG(0), NULL) : ARG(0));
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
    /* Elements are sorted, so all those of one path are not necessarily
     * adjacent ("!dev!p" < "!out!p" < "=p" < "p"): group by path. */
    struct info { const char *path; bool plain, all; const char **outs; uint32_t nouts; } *v = nx_xcalloc(n, sizeof *v);
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) {
        const char *p = e, *out = NULL;
        if (e[0] == '=') p = e + 1;
        else if (e[0] == '!') {
            out = e + 1;
            p = strchr(e + 1, '!') + 1;
        }
        uint32_t i = 0;
        while (i < k && strcmp(v[i].path, p)) i++;
        if (i == k) v[k++].path = p;
        if (e[0] == '=') v[i].all = true;
        else if (out) {
            v[i].outs = nx_xrealloc(v[i].outs, (v[i].nouts + 1) * sizeof *v[i].outs);
            v[i].outs[v[i].nouts++] = out;
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
            free(v[i].outs);
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
    char *path = nx_store_add_text(name, nx_str(ARG(1))->s, nx_str_len(ARG(1)), refs, n);
    free(refs);
    nx_value r = mk_ctx_string(path, path);
    free(path);
    RETURN_VALUE(r);
}

/* ---- filterSource and builtins.path ---------------------------------------
 * Both add a local path to the store (computing its path only).  With a
 * filter, the entries below the path are listed first (depth first, names
 * sorted: the order CppNix calls the filter in) into Nix lists in the
 * frame's slots; the filter is then applied to each entry whose parent
 * was kept, as `filter "/full/path" "regular"|"directory"|"symlink"|
 * "unknown"`; finally the NAR of the kept entries is hashed.
 *
 * Slots: 0 entry paths, 1 entry types, 2 parent index (-1: the root),
 * 3 verdicts (true/false), 4 next index, 5 the filter applied to a path,
 * 6 root path string, 7 store name, 8 the filter, 9 recursive,
 * 10 expected sha256 (string or null).  The caller sets 6..10. */
NX_STATES(add, "path filterSource", ADD_START, ADD_LOOP, ADD_CALLED_PATH, ADD_CALLED_TYPE);
#define ADD_SLOT(k) SLOT(base + (k))

typedef struct entries {
    char **path, **type;
    int64_t *parent;
    size_t n, cap;
} entries;

static void list_entries(entries *e, const char *dir, int64_t parent)
{
    DIR *d = opendir(dir);
    if (!d) return;
    size_t n = 0, cap = 16;
    char **names = nx_xmalloc(cap * sizeof *names);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (n == cap) names = nx_xrealloc(names, (cap *= 2) * sizeof *names);
        names[n++] = nx_xstrndup(de->d_name, strlen(de->d_name));
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, cmp_cstr);
    for (size_t i = 0; i < n; i++) {
        nx_buf p = { 0 };
        nx_buf_printf(&p, "%s/%s", dir, names[i]);
        struct stat st;
        const char *type = "unknown";
        if (lstat(p.data, &st) == 0)
            type = S_ISREG(st.st_mode) ? "regular" : S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink" : "unknown";
        if (e->n == e->cap) {
            e->cap = e->cap ? e->cap * 2 : 64;
            e->path = nx_xrealloc(e->path, e->cap * sizeof *e->path);
            e->type = nx_xrealloc(e->type, e->cap * sizeof *e->type);
            e->parent = nx_xrealloc(e->parent, e->cap * sizeof *e->parent);
        }
        int64_t me = (int64_t)e->n;
        e->path[e->n] = p.data;
        e->type[e->n] = (char *)type;
        e->parent[e->n++] = parent;
        if (strcmp(type, "directory") == 0) list_entries(e, p.data, me);
        free(names[i]);
    }
    free(names);
}

typedef struct kept { char **v; size_t n; } kept;
static int cmp_kept(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static bool keep_filter(void *cx, const char *path)
{
    kept *k = cx;
    return k->n && bsearch(&path, k->v, k->n, sizeof *k->v, cmp_kept) != NULL;
}

/* The path machine; `base` is the first of its 11 slots.  Returns a step
 * status; the result is the store path string with itself as context. */
static int add_path(nx_vm *vm, nx_frame *f, int base)
{
    const char *root = nx_str(ADD_SLOT(6))->s;
    nx_value filter = ADD_SLOT(8);
    if (f->state == ADD_START) {
        struct stat st;
        if (lstat(root, &st) != 0) FAIL("getting status of '%s': %s", root, strerror(errno));
        ADD_SLOT(4) = nx_mk_smallint(0);
        if (filter != NX_NULL && S_ISDIR(st.st_mode)) {
            entries e = { 0 };
            list_entries(&e, root, -1);
            nx_list *paths = nx_alloc_list((uint32_t)e.n), *types = nx_alloc_list((uint32_t)e.n),
                    *parents = nx_alloc_list((uint32_t)e.n), *verdicts = nx_alloc_list((uint32_t)e.n);
            for (size_t i = 0; i < e.n; i++) {
                paths->v[i] = nx_mk_cstring(e.path[i]);
                types->v[i] = nx_mk_cstring(e.type[i]);
                parents->v[i] = nx_mk_smallint(e.parent[i]);
                verdicts->v[i] = NX_NULL;
                free(e.path[i]);
            }
            free(e.path);
            free(e.type);
            free(e.parent);
            ADD_SLOT(0) = nx_from_obj(paths);
            ADD_SLOT(1) = nx_from_obj(types);
            ADD_SLOT(2) = nx_from_obj(parents);
            ADD_SLOT(3) = nx_from_obj(verdicts);
        } else {
            ADD_SLOT(0) = ADD_SLOT(1) = ADD_SLOT(2) = ADD_SLOT(3) = nx_empty_list;
        }
        f->state = ADD_LOOP;
    }
    nx_list *paths = nx_listp(ADD_SLOT(0)), *verdicts = nx_listp(ADD_SLOT(3));
    int64_t i = nx_smallint(ADD_SLOT(4));
    if (f->state == ADD_CALLED_PATH) {
        ADD_SLOT(5) = RESULT();
        CALL(ADD_SLOT(5), nx_listp(ADD_SLOT(1))->v[i], ADD_CALLED_TYPE);
    }
    if (f->state == ADD_CALLED_TYPE) {
        nx_value r = RESULT();
        EXPECT(r, r == NX_TRUE || r == NX_FALSE, "a Boolean");
        verdicts->v[i] = r;
        ADD_SLOT(4) = nx_mk_smallint(++i);
        f->state = ADD_LOOP;
    }
    for (; i < paths->h.aux; i++) {
        int64_t parent = nx_smallint(nx_listp(ADD_SLOT(2))->v[i]);
        if (parent >= 0 && verdicts->v[parent] != NX_TRUE) {
            verdicts->v[i] = NX_FALSE;
            continue;
        }
        ADD_SLOT(4) = nx_mk_smallint(i);
        CALL(filter, paths->v[i], ADD_CALLED_PATH);
    }
    /* Everything decided: hash what is kept. */
    kept k = { nx_xmalloc((paths->h.aux + 1) * sizeof *k.v), 0 };
    for (uint32_t j = 0; j < paths->h.aux; j++)
        if (verdicts->v[j] == NX_TRUE) k.v[k.n++] = nx_str(paths->v[j])->s;
    if (k.n > 1) qsort(k.v, k.n, sizeof *k.v, cmp_kept);
    const char *name = nx_str(ADD_SLOT(7))->s;
    char *bad = nx_store_check_name(name, strlen(name));
    if (bad) {
        free(k.v);
        int st = nx_builtin_fail(vm, "%s", bad);
        free(bad);
        return st;
    }
    bool recursive = ADD_SLOT(9) != NX_FALSE;
    nx_hash h;
    char *err = NULL;
    bool ok;
    if (recursive) {
        ok = nx_nar_hash_filtered(root, NX_HASH_SHA256, filter != NX_NULL ? keep_filter : NULL, &k, &h, &err);
    } else {
        ok = nx_hash_file(root, NX_HASH_SHA256, &h, &err);
    }
    free(k.v);
    if (!ok) {
        int st = nx_builtin_fail(vm, "%s", err);
        free(err);
        return st;
    }
    char *path = nx_store_fixed_path(name, recursive, &h);
    if (ADD_SLOT(10) != NX_NULL) {
        nx_hash want;
        if (!nx_hash_parse(nx_str(ADD_SLOT(10))->s, nx_str_len(ADD_SLOT(10)), NX_HASH_SHA256, &want, &err)) {
            free(path);
            int st = nx_builtin_fail(vm, "%s", err);
            free(err);
            return st;
        }
        char *expected = nx_store_fixed_path(name, recursive, &want);
        bool same = strcmp(expected, path) == 0;
        free(expected);
        if (!same) {
            free(path);
            FAIL("store path mismatch in (possibly filtered) path added from '%s'", root);
        }
    }
    nx_value r = mk_ctx_string(path, path);
    free(path);
    RETURN_VALUE(r);
}

/* A path argument as its text: a path value, or a string naming an
 * absolute path. */
static bool path_text(nx_vm *vm, nx_value v, nx_value *out)
{
    if (nx_is_path(v)) {
        *out = nx_mk_string(nx_str(v)->s, nx_str_len(v), NULL);
        return true;
    }
    if (nx_is_string(v) && nx_str(v)->s[0] == '/') {
        *out = with_ctx(v, NULL);
        return true;
    }
    if (nx_is_string(v)) {
        nx_vm_error(vm, nx_vm_pos(vm), "string '%s' doesn't represent an absolute path", nx_str(v)->s);
        return false;
    }
    return nx_type_error(vm, v, "a path");
}

/* filterSource pred path: slots 0..10 as add_path. */
static int step_filterSource(nx_vm *vm, nx_frame *f)
{
    if (f->state == ADD_START) {
        EXPECT(ARG(0), nx_is_function(ARG(0)), "a function");
        if (!path_text(vm, ARG(1), &SLOT(6))) return NX_STEP_ERROR;
        const char *root = nx_str(SLOT(6))->s;
        const char *slash = strrchr(root, '/');
        SLOT(7) = nx_mk_cstring(slash ? slash + 1 : root);
        SLOT(8) = ARG(0);
        SLOT(9) = NX_TRUE;
        SLOT(10) = NX_NULL;
    }
    return add_path(vm, f, 0);
}

/* builtins.path { path; name ? ; filter ? ; recursive ? true; sha256 ? }. */
static int step_path(nx_vm *vm, nx_frame *f)
{
    if (f->state == ADD_START) {
        EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
        nx_attrs *a = nx_attrsp(ARG(0));
        nx_value path = NX_NOVALUE, name = NX_NOVALUE, filter = NX_NULL, recursive = NX_TRUE, sha = NX_NULL;
        for (uint32_t i = 0; i < a->h.aux; i++) {
            nx_value v = a->a[i].value;
            NEED(v);
            a->a[i].value = v;
            const char *k = nx_sym_str(a->a[i].name);
            if (strcmp(k, "path") == 0) path = v;
            else if (strcmp(k, "name") == 0) {
                EXPECT(v, nx_is_string(v), "a string");
                EXPECT_NO_CTX(v);
                name = v;
            } else if (strcmp(k, "filter") == 0) {
                EXPECT(v, nx_is_function(v), "a function");
                filter = v;
            } else if (strcmp(k, "recursive") == 0) {
                EXPECT(v, v == NX_TRUE || v == NX_FALSE, "a Boolean");
                recursive = v;
            } else if (strcmp(k, "sha256") == 0) {
                EXPECT(v, nx_is_string(v), "a string");
                sha = v;
            } else {
                FAIL("unsupported argument '%s' to 'builtins.path'", k);
            }
        }
        if (!path) FAIL("missing required 'path' attribute in the first argument to 'builtins.path'");
        if (!path_text(vm, path, &SLOT(6))) return NX_STEP_ERROR;
        if (!name || !nx_str_len(name)) {
            const char *root = nx_str(SLOT(6))->s;
            const char *slash = strrchr(root, '/');
            name = nx_mk_cstring(slash ? slash + 1 : root);
        }
        SLOT(7) = name;
        SLOT(8) = filter;
        SLOT(9) = recursive;
        SLOT(10) = sha;
    }
    return add_path(vm, f, 0);
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
    nx_hash h;
    char *err = NULL;
    bool ok = nx_hash_file(b.data ? b.data : "", algo, &h, &err);
    nx_buf_free(&b);
    if (!ok) {
        int st = nx_builtin_fail(vm, "%s", err);
        free(err);
        return st;
    }
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
    { "filterSource", 2, 3, 11, false, step_filterSource },
    { "path", 1, 1, 11, false, step_path },
};

const nx_builtin_table nx_builtins_store = { table, NX_ARRAY_LEN(table) };
