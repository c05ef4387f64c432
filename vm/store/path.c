/* path.c — store path computation (see path.h). */
#include "vm/store/path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/common.h"

void nx_sort_nearly(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n < 2) return;
    char *v = base, tmp[64];
    if (size > sizeof tmp) {
        qsort(base, n, size, cmp);
        return;
    }
    size_t budget = 4 * n + 16; /* places moved before giving up */
    for (size_t i = 1; i < n; i++) {
        char *x = v + i * size;
        if (cmp(x - size, x) <= 0) continue;
        size_t j = i - 1; /* v[j] > x: x goes at or before j */
        while (j > 0 && cmp(v + (j - 1) * size, x) > 0) j--;
        if (i - j > budget) {
            /* Nothing moved for x yet: the array is a permutation. */
            qsort(base, n, size, cmp);
            return;
        }
        budget -= i - j;
        memcpy(tmp, x, size);
        memmove(v + (j + 1) * size, v + j * size, (i - j) * size);
        memcpy(v + j * size, tmp, size);
    }
}

static void sort_n(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    nx_sort_nearly(v, n, size, cmp);
}

const char *nx_store_dir(void)
{
    static const char *dir;
    if (!dir) {
        const char *d = getenv("NIX_STORE_DIR");
        dir = d && *d ? d : "/nix/store";
    }
    return dir;
}

static char *msg(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 32;
    char *m = nx_xmalloc(n);
    snprintf(m, n, fmt, a, b);
    return m;
}

char *nx_store_check_name(const char *name, size_t n)
{
    if (n == 0) return nx_xstrndup("name must not be empty", 22);
    char *nm = nx_xstrndup(name, n), *r = NULL;
    if (n > 211) {
        r = msg("name '%s' must be no longer than 211 characters", nm, NULL);
    } else if (name[0] == '.' && (n == 1 || (name[1] == '.' && n == 2))) {
        r = msg("name '%s' is not valid", nm, NULL);
    } else if (name[0] == '.' && name[1] == '-') {
        r = msg("name '%s' is not valid: first dash-separated component must not be '%s'", nm, ".");
    } else if (name[0] == '.' && name[1] == '.' && name[2] == '-') {
        r = msg("name '%s' is not valid: first dash-separated component must not be '%s'", nm, "..");
    } else {
        for (size_t i = 0; i < n; i++) {
            char c = name[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("+-._?=", c))
                if (c) continue;
            char cs[2] = { c, 0 };
            r = msg("name '%s' contains illegal character '%s'", nm, cs);
            break;
        }
    }
    free(nm);
    return r;
}

char *nx_store_make_path(const char *type, const nx_hash *h, const char *name)
{
    char hex[160];
    nx_hash_format(hex, h, NX_HASH_BASE16, true);
    const char *dir = nx_store_dir();
    /* Built piece by piece: a text path's type lists every reference, so
     * the fingerprint is often longer than nx_buf_printf's one-pass size. */
    size_t tl = strlen(type), hl = strlen(hex), dl = strlen(dir), nl = strlen(name);
    nx_buf fp = { 0 };
    nx_buf_reserve(&fp, tl + hl + dl + nl + 3);
    nx_buf_add(&fp, type, tl);
    nx_buf_addc(&fp, ':');
    nx_buf_add(&fp, hex, hl);
    nx_buf_addc(&fp, ':');
    nx_buf_add(&fp, dir, dl);
    nx_buf_addc(&fp, ':');
    nx_buf_add(&fp, name, nl);
    nx_hash d;
    nx_hash_digest(NX_HASH_SHA256, fp.data, fp.len, &d);
    nx_buf_free(&fp);
    uint8_t c[20] = { 0 };
    for (unsigned i = 0; i < d.len; i++) c[i % 20] ^= d.b[i];
    char enc[40];
    size_t el = nx_nix32_encode(enc, c, 20);
    nx_buf out = { 0 };
    nx_buf_reserve(&out, dl + el + 2 + nl);
    nx_buf_add(&out, dir, dl);
    nx_buf_addc(&out, '/');
    nx_buf_add(&out, enc, el);
    nx_buf_addc(&out, '-');
    nx_buf_add(&out, name, nl);
    return out.data;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char *nx_store_text_path(const char *name, const char *contents, size_t n, char *const *refs, size_t nrefs)
{
    nx_hash h;
    nx_hash_digest(NX_HASH_SHA256, contents, n, &h);
    char **sorted = nx_xmalloc((nrefs + 1) * sizeof *sorted);
    if (nrefs) memcpy(sorted, refs, nrefs * sizeof *sorted);
    sort_n(sorted, nrefs, sizeof *sorted, cmp_str);
    nx_buf type = { 0 };
    nx_buf_adds(&type, "text");
    for (size_t i = 0; i < nrefs; i++) {
        if (i && strcmp(sorted[i], sorted[i - 1]) == 0) continue;
        nx_buf_addc(&type, ':');
        nx_buf_adds(&type, sorted[i]);
    }
    free(sorted);
    char *r = nx_store_make_path(type.data, &h, name);
    nx_buf_free(&type);
    return r;
}

char *nx_store_fixed_path(const char *name, bool recursive, const nx_hash *h)
{
    if (recursive && h->algo == NX_HASH_SHA256) return nx_store_make_path("source", h, name);
    char hex[160];
    nx_hash_format(hex, h, NX_HASH_BASE16, true);
    nx_buf s = { 0 };
    nx_buf_printf(&s, "fixed:out:%s%s:", recursive ? "r:" : "", hex);
    nx_hash inner;
    nx_hash_digest(NX_HASH_SHA256, s.data, s.len, &inner);
    nx_buf_free(&s);
    return nx_store_make_path("output:out", &inner, name);
}

char *nx_store_placeholder(const char *output)
{
    nx_buf s = { 0 };
    nx_buf_printf(&s, "nix-output:%s", output);
    nx_hash h;
    nx_hash_digest(NX_HASH_SHA256, s.data, s.len, &h);
    nx_buf_free(&s);
    char *r = nx_xmalloc(64);
    r[0] = '/';
    nx_nix32_encode(r + 1, h.b, h.len);
    return r;
}

bool nx_is_store_path(const char *s, size_t n)
{
    const char *dir = nx_store_dir();
    size_t dl = strlen(dir);
    if (n < dl + 1 + 32 + 2 || memcmp(s, dir, dl) != 0 || s[dl] != '/') return false;
    const char *base = s + dl + 1;
    if (base[32] != '-') return false;
    if (memchr(base, '/', n - dl - 1)) return false;
    return true;
}

/* ---- paths copied to the store (computed, never written) --------------- */

typedef struct copied { char *src, *dst; } copied;
/* Open addressing by FNV-1a of the source path; grows at half full. */
static copied *copies;
static size_t ncopies, capcopies;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static copied *copy_slot(copied *t, size_t cap, const char *src)
{
    size_t i = fnv(src) & (cap - 1);
    while (t[i].src && strcmp(t[i].src, src)) i = (i + 1) & (cap - 1);
    return &t[i];
}

const char *nx_store_copy_path(const char *path, char **err)
{
    if (capcopies) {
        copied *c = copy_slot(copies, capcopies, path);
        if (c->src) return c->dst;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *bad = nx_store_check_name(base, strlen(base));
    if (bad) {
        nx_buf b = { 0 };
        nx_buf_printf(&b, "invalid store path name for '%s': %s", path, bad);
        free(bad);
        *err = b.data;
        return NULL;
    }
    nx_hash h;
    char real[PATH_MAX];
    if (!nx_nar_hash(nx_store_real_path(path, real, sizeof real), NX_HASH_SHA256, &h, err)) return NULL;
    char *dst = nx_store_fixed_path(base, true, &h);
    if ((ncopies + 1) * 2 > capcopies) {
        size_t ncap = capcopies ? capcopies * 2 : 64;
        copied *nt = nx_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < capcopies; i++)
            if (copies[i].src) *copy_slot(nt, ncap, copies[i].src) = copies[i];
        free(copies);
        copies = nt;
        capcopies = ncap;
    }
    *copy_slot(copies, capcopies, path) = (copied){ nx_xstrndup(path, strlen(path)), dst };
    ncopies++;
    return dst;
}
