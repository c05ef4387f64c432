/* search.c — the Nix search path: -I entries, NIX_PATH, builtins.nixPath
 * and builtins.findFile (what <name/sub> desugars to).
 *
 * The search path is held as C strings (no Nix values, so no GC roots);
 * builtins.nixPath is built from it when the base environment is made. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/builtins/builtins.h"
#include "vm/builtins/fetch_io.h"
#include "vm/store/path.h"
#include "vm/searchpath.h"


typedef struct elem {
    char *prefix, *path;
} elem;

static elem *elems;
static size_t nelems, capelems;
static bool env_added;

/* Adds one "prefix=path" or "path" element (CppNix's LookupPath::Elem::parse). */
void nx_search_path_add(const char *raw)
{
    const char *eq = strchr(raw, '=');
    if (nelems == capelems) {
        capelems = capelems ? capelems * 2 : 16;
        elems = nx_xrealloc(elems, capelems * sizeof *elems);
    }
    elem *e = &elems[nelems++];
    if (eq) {
        e->prefix = nx_xstrndup(raw, (size_t)(eq - raw));
        e->path = nx_xstrndup(eq + 1, strlen(eq + 1));
    } else {
        e->prefix = nx_xstrndup("", 0);
        e->path = nx_xstrndup(raw, strlen(raw));
    }
}

/* CppNix's isPseudoUrl: channel:… or a URL of a fetchable scheme. */
static bool is_pseudo_url(const char *s)
{
    if (strncmp(s, "channel:", 8) == 0) return true;
    const char *p = strstr(s, "://");
    if (!p) return false;
    static const char *const schemes[] = { "http", "https", "file", "channel", "git", "s3", "ssh" };
    size_t n = (size_t)(p - s);
    for (size_t i = 0; i < NX_ARRAY_LEN(schemes); i++)
        if (strlen(schemes[i]) == n && strncmp(s, schemes[i], n) == 0) return true;
    return false;
}

/* Splits $NIX_PATH on ':' except inside URLs (CppNix's parseNixPath). */
static void add_nix_path(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    while (p != end) {
        const char *start = p, *start2 = p;
        while (p != end && *p != ':') {
            if (*p == '=') start2 = p + 1;
            p++;
        }
        if (p == end) {
            if (p != start) {
                char *x = nx_xstrndup(start, (size_t)(p - start));
                nx_search_path_add(x);
                free(x);
            }
            break;
        }
        if (is_pseudo_url(start2) || strncmp(start2, "flake:", 6) == 0) {
            p++;
            while (p != end && *p != ':') p++;
        }
        char *x = nx_xstrndup(start, (size_t)(p - start));
        nx_search_path_add(x);
        free(x);
        if (p == end) break;
        p++;
    }
}

static void add_if_exists(const char *path, const char *prefix)
{
    struct stat st;
    if (stat(path, &st) != 0) return;
    nx_buf b = { 0 };
    if (prefix) nx_buf_printf(&b, "%s=", prefix);
    nx_buf_adds(&b, path);
    nx_search_path_add(b.data);
    nx_buf_free(&b);
}

void nx_search_path_add_env(void)
{
    if (env_added) return;
    env_added = true;
    const char *np = getenv("NIX_PATH");
    if (np) add_nix_path(np);
    else {
        /* CppNix's default search path, when NIX_PATH is unset. */
        const char *home = getenv("HOME");
        if (home) {
            nx_buf b = { 0 };
            nx_buf_printf(&b, "%s/.nix-defexpr/channels", home);
            add_if_exists(b.data, NULL);
            nx_buf_free(&b);
        }
        add_if_exists("/nix/var/nix/profiles/per-user/root/channels/nixpkgs", "nixpkgs");
        add_if_exists("/nix/var/nix/profiles/per-user/root/channels", NULL);
    }
}

nx_value nx_search_path_value(void)
{
    if (nelems == 0) return nx_empty_list;
    nx_sym s_path = nx_sym_intern_cstr("path"), s_prefix = nx_sym_intern_cstr("prefix");
    nx_list *l = nx_alloc_list((uint32_t)nelems);
    for (size_t i = 0; i < nelems; i++) {
        nx_attrs *a = nx_alloc_attrs(2);
        a->a[0] = (nx_attr){ s_path, 0, nx_mk_cstring(elems[i].path) };
        a->a[1] = (nx_attr){ s_prefix, 0, nx_mk_cstring(elems[i].prefix) };
        nx_attrs_sort(a);
        l->v[i] = nx_from_obj(a);
    }
    return nx_from_obj(l);
}

/* Warnings already given (CppNix resolves each entry once, so each of
 * its warnings appears once; a URL entry that cannot be downloaded gets
 * both "cannot be downloaded" and "does not exist"). */
static char **warned;
static size_t nwarned;

static void warn_once(const char *fmt, const char *value)
{
    nx_buf m = { 0 };
    nx_buf_printf(&m, fmt, value);
    for (size_t i = 0; i < nwarned; i++)
        if (strcmp(warned[i], m.data) == 0) {
            nx_buf_free(&m);
            return;
        }
    warned = nx_xrealloc(warned, (nwarned + 1) * sizeof *warned);
    warned[nwarned++] = m.data;
    fprintf(stderr, "warning: %s\n", m.data);
}

/* URL entries already resolved: their store path, or NULL (failed). */
typedef struct fetched {
    char *url, *store_path;
} fetched;
static fetched *fetched_v;
static size_t nfetched;

/* The store path a URL entry's tarball unpacks to (downloaded once per
 * evaluation, as CppNix caches resolved entries), or NULL after CppNix's
 * warning. */
static const char *fetch_entry(const char *value)
{
    for (size_t i = 0; i < nfetched; i++)
        if (strcmp(fetched_v[i].url, value) == 0) return fetched_v[i].store_path;
    char *err = NULL;
    char *p = nx_fetch_search_entry(value, &err);
    if (!p) {
        free(err);
        warn_once("Nix search path entry '%s' cannot be downloaded, ignoring", value);
    }
    fetched_v = nx_xrealloc(fetched_v, (nfetched + 1) * sizeof *fetched_v);
    fetched_v[nfetched++] = (fetched){ nx_xstrndup(value, strlen(value)), p };
    return p;
}

/* The directory a search path entry names (absolute, canonical) in out,
 * or false (with CppNix's warning) if it does not exist.  A URL entry is
 * its tarball's store path (*is_store set); one that cannot be downloaded
 * is then tried as a path, as CppNix does (normally a second warning). */
static bool resolve_entry(const char *value, char *out, size_t cap, bool *is_store)
{
    *is_store = false;
    if (is_pseudo_url(value)) {
        const char *p = fetch_entry(value);
        if (p && strlen(p) < cap) {
            strcpy(out, p);
            *is_store = true;
            return true;
        }
    }
    nx_buf b = { 0 };
    if (value[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
        nx_buf_printf(&b, "%s/", cwd);
    }
    nx_buf_adds(&b, value);
    if (b.len + 2 > cap) {
        nx_buf_free(&b);
        return false;
    }
    nx_canon_path(out, b.data, b.len);
    nx_buf_free(&b);
    char real[PATH_MAX];
    if (!realpath(out, real)) {
        warn_once("Nix search path entry '%s' does not exist, ignoring", value);
        return false;
    }
    return true;
}

/* CppNix's findFile over a list of elements; the result path (with
 * symlinks resolved, as modern CppNix) in out, or false. */
static bool find_in(const elem *es, size_t n, const char *path, char *out)
{
    size_t plen = strlen(path);
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(es[i].prefix);
        bool sep = k > 0 && k < plen;
        if (sep && path[k] != '/') continue;
        if (k > plen || strncmp(path, es[i].prefix, k) != 0) continue;
        const char *suffix = path + (sep ? k + 1 : k);
        char dir[PATH_MAX + 2];
        bool is_store;
        if (!resolve_entry(es[i].path, dir, sizeof dir, &is_store)) continue;
        nx_buf b = { 0 };
        nx_buf_printf(&b, "/%s", suffix);
        char *cs = nx_xmalloc(b.len + 2);
        nx_canon_path(cs, b.data, b.len);
        nx_buf_free(&b);
        nx_buf_printf(&b, "%s%s", strcmp(dir, "/") == 0 ? "" : dir, strcmp(cs, "/") == 0 && strcmp(dir, "/") != 0 ? "" : cs);
        free(cs);
        bool ok;
        if (is_store) {
            /* A fetched tree: the store path, looked up in the cache. */
            char buf[PATH_MAX];
            struct stat st;
            const char *real = nx_store_real_path(b.data, buf, sizeof buf);
            ok = b.len < PATH_MAX && stat(real, &st) == 0;
            if (ok) memcpy(out, b.data, b.len + 1);
        } else ok = b.len < PATH_MAX && realpath(b.data, out);
        nx_buf_free(&b);
        if (ok) return true;
    }
    return false;
}

bool nx_search_path_find(const char *path, char *out)
{
    nx_search_path_add_env();
    return find_in(elems, nelems, path, out);
}

enum { FF_START };

/* findFile list path: forces every element's prefix and path first (as
 * CppNix builds the whole lookup path before searching), then searches. */
static int step_findFile(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_path, s_prefix;
    if (!s_path) {
        s_path = nx_sym_intern_cstr("path");
        s_prefix = nx_sym_intern_cstr("prefix");
    }
    nx_value l = ARG(0);
    EXPECT(l, nx_is_list(l), "a list");
    uint32_t n = nx_list_len(l);
    for (uint32_t i = 0; i < n; i++) {
        nx_value e = nx_listp(l)->v[i];
        NEED(e);
        EXPECT(e, nx_is_attrs(e), "a set");
        nx_attr *pre = nx_attrs_get(nx_attrsp(e), s_prefix);
        if (pre) {
            nx_value pv = pre->value;
            NEED(pv);
            EXPECT(pv, nx_is_string(pv), "a string");
        }
        nx_attr *pa = nx_attrs_get(nx_attrsp(e), s_path);
        if (!pa) FAIL("attribute 'path' missing");
        nx_value p = pa->value;
        NEED(p);
        EXPECT(p, nx_is_string(p) || nx_is_path(p), "a string");
    }
    nx_value want = ARG(1);
    NEED(want);
    EXPECT(want, nx_is_string(want), "a string");
    elem *es = nx_xcalloc(n + 1, sizeof *es);
    for (uint32_t i = 0; i < n; i++) {
        nx_attrs *a = nx_attrsp(nx_deref(nx_listp(l)->v[i]));
        nx_attr *pre = nx_attrs_get(a, s_prefix);
        es[i].prefix = pre ? nx_str(nx_deref(pre->value))->s : "";
        es[i].path = nx_str(nx_deref(nx_attrs_get(a, s_path)->value))->s;
    }
    char out[PATH_MAX];
    const char *path = nx_str(want)->s;
    bool found = find_in(es, n, path, out);
    free(es);
    if (found) RETURN_VALUE(nx_mk_path(out, strlen(out)));
    /* CppNix falls back to its built-in files for nix/… (fetchurl.nix):
     * NX_COREPKGS_DIR/NAME (vm/builtins/derivation.c). */
    if (strncmp(path, "nix/", 4) == 0) {
        nx_buf b = { 0 };
        nx_buf_printf(&b, NX_COREPKGS_DIR "/%s", path + 4);
        bool have = nx_corepkgs_file(b.data) != NULL;
        nx_value r = have ? nx_mk_path(b.data, b.len) : NX_NOVALUE;
        nx_buf_free(&b);
        if (have) RETURN_VALUE(r);
    }
    nx_vm_error(vm, nx_vm_pos(vm), "file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)", path);
    vm->catchable = true;
    return NX_STEP_ERROR;
}

static const nx_builtin table[] = {
    { "findFile", 2, 1, 0, false, step_findFile },
};

const nx_builtin_table nx_builtins_search = { table, NX_ARRAY_LEN(table) };
