/* drv.c — derivation serialisation and hashing (see drv.h). */
#include "vm/store/drv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/common.h"
#include "vm/store/path.h"
#include "vm/symbol.h"

/* Nearly sorted arrays, mostly (vm/store/path.c). */
#define sort_n nx_sort_nearly

static char *dup(const char *s) { return nx_xstrndup(s, strlen(s)); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- the table of known store paths ------------------------------------- */

typedef struct entry {
    char *path;
    uint64_t hash;         /* hash_str(path) */
    const char **refs;     /* interned (intern_path) */
    size_t nrefs;
    bool is_drv;
    nx_hash modulo;        /* derivations: hashDerivationModulo(drv, false) */
    char modulo_hex[65];   /* its base16 (a sha256), as dependents' texts use it */
    char **outputs; size_t noutputs;
    char *text;            /* toFile: the file's contents (NUL-terminated) */
    size_t text_len;
} entry;

/* The bytes an ATerm string escapes. */
#define ATERM_SPECIAL "\"\\\n\r\t"

static entry **table;
static size_t tcap, tcount;

static uint64_t hash_str(const char *s) { return nx_hash_bytes(s, strlen(s)); }

static entry *lookup_h(const char *path, uint64_t h)
{
    if (!tcap) return NULL;
    for (size_t i = h & (tcap - 1);; i = (i + 1) & (tcap - 1)) {
        if (!table[i]) return NULL;
        if (table[i]->hash == h && strcmp(table[i]->path, path) == 0) return table[i];
    }
}

static entry *lookup(const char *path) { return tcap ? lookup_h(path, hash_str(path)) : NULL; }

static entry *insert(const char *path)
{
    uint64_t h = hash_str(path);
    entry *e = lookup_h(path, h);
    if (e) return e;
    if ((tcount + 1) * 2 > tcap) {
        size_t ncap = tcap ? tcap * 2 : 256;
        entry **nt = nx_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < tcap; i++)
            if (table[i]) {
                size_t j = table[i]->hash & (ncap - 1);
                while (nt[j]) j = (j + 1) & (ncap - 1);
                nt[j] = table[i];
            }
        free(table);
        table = nt;
        tcap = ncap;
    }
    e = nx_xcalloc(1, sizeof *e);
    e->path = dup(path);
    e->hash = h;
    size_t j = h & (tcap - 1);
    while (table[j]) j = (j + 1) & (tcap - 1);
    table[j] = e;
    tcount++;
    return e;
}

/* References are kept once per path, not once per referrer: the same
 * sources and input derivations are referred to by thousands of
 * derivations (nixpkgs 14.04's outpaths: 5 MB of copies).  A path with an
 * entry is its entry's path; others are kept in a set of their own. */
static char **interned;
static size_t icap, icount;

static const char *intern_path(const char *s)
{
    entry *e = lookup(s);
    if (e) return e->path;
    if ((icount + 1) * 2 > icap) {
        size_t ncap = icap ? icap * 2 : 256;
        char **nt = nx_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < icap; i++)
            if (interned[i]) {
                size_t j = hash_str(interned[i]) & (ncap - 1);
                while (nt[j]) j = (j + 1) & (ncap - 1);
                nt[j] = interned[i];
            }
        free(interned);
        interned = nt;
        icap = ncap;
    }
    size_t i = hash_str(s) & (icap - 1);
    for (; interned[i]; i = (i + 1) & (icap - 1))
        if (strcmp(interned[i], s) == 0) return interned[i];
    icount++;
    return interned[i] = dup(s);
}

static void set_refs(entry *e, char *const *refs, size_t n)
{
    free(e->refs);
    e->refs = nx_xmalloc((n + 1) * sizeof *e->refs);
    for (size_t i = 0; i < n; i++) e->refs[i] = intern_path(refs[i]);
    e->nrefs = n;
}

const char *nx_store_text_file(const char *path)
{
    entry *e = lookup(path);
    return e ? e->text : NULL;
}

bool nx_store_closure(const char *path, void (*fn)(void *cx, const char *path, bool is_drv), void *cx)
{
    /* Worklist over the table; unknown paths (sources) have no refs. */
    size_t n = 0, cap = 16, seen_n = 0, seen_cap = 16;
    const char **work = nx_xmalloc(cap * sizeof *work);
    const char **seen = nx_xmalloc(seen_cap * sizeof *seen);
    if (!lookup(path) && !nx_is_store_path(path, strlen(path))) {
        free(work);
        free(seen);
        return false;
    }
    work[n++] = path;
    while (n) {
        const char *p = work[--n];
        bool dupl = false;
        for (size_t i = 0; i < seen_n && !dupl; i++) dupl = strcmp(seen[i], p) == 0;
        if (dupl) continue;
        if (seen_n == seen_cap) seen = nx_xrealloc(seen, (seen_cap *= 2) * sizeof *seen);
        seen[seen_n++] = p;
        entry *e = lookup(p);
        size_t pl = strlen(p);
        fn(cx, p, e ? e->is_drv : (pl > 4 && strcmp(p + pl - 4, ".drv") == 0));
        if (!e) continue;
        for (size_t i = 0; i < e->nrefs; i++) {
            if (n == cap) work = nx_xrealloc(work, (cap *= 2) * sizeof *work);
            work[n++] = e->refs[i];
        }
    }
    free(work);
    free(seen);
    return true;
}

char **nx_drv_output_names(const char *drv_path, size_t *n)
{
    entry *e = lookup(drv_path);
    if (!e || !e->is_drv) return NULL;
    *n = e->noutputs;
    return e->outputs;
}

/* ---- memos: the same derivation or text file made again ----------------
 * A fleet of NixOS machines instantiates the same derivations and writes
 * the same configuration files once per machine (fleet n=16: 1021
 * distinct derivations).  The memos find the table entry of an earlier
 * identical one from a key, so the text is neither written out nor hashed
 * again.  Open addressing by a 64-bit hash of the key; a hit is verified
 * in full, so a hash collision only misses. */

typedef struct memo {
    uint64_t h;
    entry *e;
    char *key; size_t klen;  /* derivations only: the key itself */
} memo;

typedef struct memo_table { memo *v; size_t cap, n; } memo_table;

static memo_table drv_memo, text_memo;

/* The slot of key hash h for which same(slot, cx) holds, or the empty
 * slot where it would go. */
static memo *memo_slot(memo_table *t, uint64_t h, bool (*same)(const memo *, const void *), const void *cx)
{
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        memo *m = &t->v[i];
        if (!m->e || (m->h == h && same(m, cx))) return m;
    }
}

static bool never(const memo *m, const void *cx)
{
    (void)m;
    (void)cx;
    return false;
}

static entry *memo_find(memo_table *t, uint64_t h, bool (*same)(const memo *, const void *), const void *cx)
{
    return t->cap ? memo_slot(t, h, same, cx)->e : NULL;
}

/* Records e under h (key: malloc'd or NULL, owned by the table). */
static void memo_add(memo_table *t, uint64_t h, entry *e, char *key, size_t klen)
{
    if ((t->n + 1) * 2 > t->cap) {
        memo_table nt = { nx_xcalloc(t->cap ? 2 * t->cap : 256, sizeof *nt.v), t->cap ? 2 * t->cap : 256, t->n };
        for (size_t i = 0; i < t->cap; i++)
            if (t->v[i].e) *memo_slot(&nt, t->v[i].h, never, NULL) = t->v[i];
        free(t->v);
        *t = nt;
    }
    *memo_slot(t, h, never, NULL) = (memo){ h, e, key, klen };
    t->n++;
}

/* A text file: name, contents and references (in the given order). */
typedef struct text_key {
    const char *name, *text;
    size_t len;
    char *const *refs; size_t nrefs;
} text_key;

static uint64_t text_hash(const text_key *k)
{
    uint64_t h = nx_hash_bytes(k->text, k->len) ^ nx_hash_bytes(k->name, strlen(k->name)) * 31;
    for (size_t i = 0; i < k->nrefs; i++) h = h * 31 + hash_str(k->refs[i]);
    return h;
}

static bool same_text(const memo *m, const void *cx)
{
    const text_key *k = cx;
    const entry *e = m->e;
    /* The path is DIR/HASH-NAME: HASH is 32 characters. */
    const char *name = e->path + strlen(nx_store_dir()) + 34;
    if (e->text_len != k->len || e->nrefs != k->nrefs || strcmp(name, k->name) ||
        memcmp(e->text, k->text, k->len))
        return false;
    for (size_t i = 0; i < k->nrefs; i++)
        if (strcmp(e->refs[i], k->refs[i])) return false;
    return true;
}

char *nx_store_add_text(const char *name, const char *text, size_t len, char *const *refs, size_t nrefs)
{
    text_key k = { name, text, len, refs, nrefs };
    uint64_t h = text_hash(&k);
    entry *e = memo_find(&text_memo, h, same_text, &k);
    if (e) return dup(e->path);
    char *path = nx_store_text_path(name, text, len, refs, nrefs);
    e = insert(path);
    set_refs(e, refs, nrefs);
    if (!e->text) {
        e->text = nx_xstrndup(text, len);
        e->text_len = len;
        memo_add(&text_memo, h, e, NULL, 0);
    }
    return path;
}

static bool same_key(const memo *m, const void *cx)
{
    const nx_buf *k = cx;
    return m->klen == k->len && memcmp(m->key, k->data, k->len) == 0;
}


/* ---- building a derivation ---------------------------------------------- */

static void astr(nx_buf *b, const char *s);

static void set_esc(nx_strpair *p, const char *v)
{
    nx_buf b = { 0 };
    /* Room for the quotes and a few escapes: one allocation, not a
     * doubling series, for a long value (a builder script). */
    nx_buf_reserve(&b, strlen(p->k) + strlen(v) + 16);
    nx_buf_addc(&b, '(');
    astr(&b, p->k);
    p->keylen = b.len;
    nx_buf_addc(&b, ',');
    astr(&b, v);
    nx_buf_addc(&b, ')');
    p->esc = b.data;
    p->esclen = b.len;
}

void nx_drv_setenv(nx_drv *d, const char *k, const char *v)
{
    for (size_t i = 0; i < d->nenv; i++)
        if (d->env[i].k[0] == k[0] && strcmp(d->env[i].k, k) == 0) {
            free(d->env[i].esc);
            set_esc(&d->env[i], v);
            return;
        }
    /* Only ever grows: the capacity is the next power of two (from 16). */
    size_t n = d->nenv;
    if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) d->env = nx_xrealloc(d->env, (n ? 2 * n : 16) * sizeof *d->env);
    d->env[d->nenv] = (nx_strpair){ dup(k), NULL, 0, 0 };
    set_esc(&d->env[d->nenv++], v);
}

void nx_drv_add_src(nx_drv *d, const char *path)
{
    d->srcs = nx_xrealloc(d->srcs, (d->nsrcs + 1) * sizeof *d->srcs);
    d->srcs[d->nsrcs++] = dup(path);
}

/* Room for element n of an array grown one at a time (only here): its
 * capacity is 4, then the power of two at or above its count, so it is
 * reallocated log n times instead of n (counts only shrink elsewhere). */
static void *grow(void *v, size_t n, size_t size)
{
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) return nx_xrealloc(v, (n ? 2 * n : 4) * size);
    return v;
}

void nx_drv_add_input(nx_drv *d, const char *drv, const char *output)
{
    nx_drv_input *in = NULL;
    for (size_t i = 0; i < d->ninputs; i++)
        if (strcmp(d->inputs[i].path, drv) == 0) in = &d->inputs[i];
    if (!in) {
        d->inputs = grow(d->inputs, d->ninputs, sizeof *d->inputs);
        in = &d->inputs[d->ninputs++];
        *in = (nx_drv_input){ dup(drv), NULL, 0 };
    }
    for (size_t i = 0; i < in->noutputs; i++)
        if (strcmp(in->outputs[i], output) == 0) return;
    in->outputs = grow(in->outputs, in->noutputs, sizeof *in->outputs);
    in->outputs[in->noutputs++] = dup(output);
}

void nx_drv_add_output(nx_drv *d, const char *name, const char *path, const char *algo, const char *hash)
{
    d->outputs = nx_xrealloc(d->outputs, (d->noutputs + 1) * sizeof *d->outputs);
    d->outputs[d->noutputs++] = (nx_drv_output){ dup(name), dup(path), dup(algo), dup(hash) };
}

static int cmp_out(const void *a, const void *b)
{
    return strcmp(((const nx_drv_output *)a)->name, ((const nx_drv_output *)b)->name);
}
static int cmp_in(const void *a, const void *b)
{
    return strcmp(((const nx_drv_input *)a)->path, ((const nx_drv_input *)b)->path);
}
static int cmp_env(const void *a, const void *b)
{
    return strcmp(((const nx_strpair *)a)->k, ((const nx_strpair *)b)->k);
}

static size_t uniq(char **v, size_t n)
{
    sort_n(v, n, sizeof *v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(v[i], v[k - 1]) == 0) {
            free(v[i]);
            continue;
        }
        v[k++] = v[i];
    }
    return k;
}

void nx_drv_normalise(nx_drv *d)
{
    sort_n(d->outputs, d->noutputs, sizeof *d->outputs, cmp_out);
    sort_n(d->inputs, d->ninputs, sizeof *d->inputs, cmp_in);
    for (size_t i = 0; i < d->ninputs; i++) d->inputs[i].noutputs = uniq(d->inputs[i].outputs, d->inputs[i].noutputs);
    d->nsrcs = uniq(d->srcs, d->nsrcs);
    sort_n(d->env, d->nenv, sizeof *d->env, cmp_env);
}

void nx_drv_free(nx_drv *d)
{
    free(d->name);
    for (size_t i = 0; i < d->noutputs; i++) {
        free(d->outputs[i].name);
        free(d->outputs[i].path);
        free(d->outputs[i].hash_algo);
        free(d->outputs[i].hash);
    }
    free(d->outputs);
    for (size_t i = 0; i < d->ninputs; i++) {
        free(d->inputs[i].path);
        for (size_t j = 0; j < d->inputs[i].noutputs; j++) free(d->inputs[i].outputs[j]);
        free(d->inputs[i].outputs);
    }
    free(d->inputs);
    for (size_t i = 0; i < d->nsrcs; i++) free(d->srcs[i]);
    free(d->srcs);
    free(d->platform);
    free(d->builder);
    for (size_t i = 0; i < d->nargs; i++) free(d->args[i]);
    free(d->args);
    for (size_t i = 0; i < d->nenv; i++) {
        free(d->env[i].k);
        free(d->env[i].esc);
    }
    free(d->env);
    memset(d, 0, sizeof *d);
}

/* ---- ATerm -------------------------------------------------------------- */

/* The bytes astr escapes, and the terminating NUL. */
static const bool aterm_stop[256] = { [0] = 1, ['"'] = 1, ['\\'] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1 };

/* The ATerm string literal of s. */
static void astr(nx_buf *b, const char *s)
{
    nx_buf_addc(b, '"');
    for (;;) {
        /* Copy the run of bytes that need no escape in one go: short runs
         * (names, store paths, lines of a script) by table, long ones by
         * strcspn (SIMD). */
        size_t n = 0;
        while (n < 32 && !aterm_stop[(unsigned char)s[n]]) n++;
        if (n == 32) n += strcspn(s + 32, ATERM_SPECIAL);
        if (n) nx_buf_add(b, s, n);
        s += n;
        if (!*s) break;
        switch (*s++) {
        case '"': nx_buf_adds(b, "\\\""); break;
        case '\\': nx_buf_adds(b, "\\\\"); break;
        case '\n': nx_buf_adds(b, "\\n"); break;
        case '\r': nx_buf_adds(b, "\\r"); break;
        default: nx_buf_adds(b, "\\t"); break;
        }
    }
    nx_buf_addc(b, '"');
}


static void alist(nx_buf *b, char *const *v, size_t n)
{
    nx_buf_addc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) nx_buf_addc(b, ',');
        astr(b, v[i]);
    }
    nx_buf_addc(b, ']');
}

typedef struct rin { const char *key; const nx_drv_input *in; } rin;
static int cmp_rin(const void *a, const void *b) { return strcmp(((const rin *)a)->key, ((const rin *)b)->key); }

char *nx_drv_unparse(const nx_drv *d, bool mask, char *const *replace, size_t *len)
{
    nx_buf b = { 0 };
    /* Most of the text is the environment: reserve for it once. */
    size_t guess = 4096;
    for (size_t i = 0; i < d->nenv; i++) guess += d->env[i].esclen + 1;
    nx_buf_reserve(&b, guess);
    nx_buf_adds(&b, "Derive([");
    for (size_t i = 0; i < d->noutputs; i++) {
        const nx_drv_output *o = &d->outputs[i];
        if (i) nx_buf_addc(&b, ',');
        nx_buf_addc(&b, '(');
        astr(&b, o->name);
        nx_buf_addc(&b, ',');
        astr(&b, mask ? "" : o->path);
        nx_buf_addc(&b, ',');
        astr(&b, o->hash_algo);
        nx_buf_addc(&b, ',');
        astr(&b, o->hash);
        nx_buf_addc(&b, ')');
    }
    nx_buf_adds(&b, "],[");
    /* Input derivations, possibly under their replacement keys: equal
     * keys merge their output sets (CppNix's map). */
    rin *r = nx_xmalloc((d->ninputs + 1) * sizeof *r);
    for (size_t i = 0; i < d->ninputs; i++) r[i] = (rin){ replace ? replace[i] : d->inputs[i].path, &d->inputs[i] };
    sort_n(r, d->ninputs, sizeof *r, cmp_rin);
    for (size_t i = 0; i < d->ninputs;) {
        size_t j = i;
        size_t total = 0;
        while (j < d->ninputs && strcmp(r[j].key, r[i].key) == 0) total += r[j++].in->noutputs;
        char **outs = nx_xmalloc((total + 1) * sizeof *outs);
        size_t k = 0;
        for (size_t m = i; m < j; m++)
            for (size_t q = 0; q < r[m].in->noutputs; q++) outs[k++] = r[m].in->outputs[q];
        sort_n(outs, k, sizeof *outs, cmp_str);
        size_t u = 0;
        for (size_t m = 0; m < k; m++)
            if (!u || strcmp(outs[m], outs[u - 1])) outs[u++] = outs[m];
        if (i) nx_buf_addc(&b, ',');
        nx_buf_addc(&b, '(');
        astr(&b, r[i].key);
        nx_buf_addc(&b, ',');
        alist(&b, outs, u);
        nx_buf_addc(&b, ')');
        free(outs);
        i = j;
    }
    free(r);
    nx_buf_adds(&b, "],");
    alist(&b, d->srcs, d->nsrcs);
    nx_buf_addc(&b, ',');
    astr(&b, d->platform ? d->platform : "");
    nx_buf_addc(&b, ',');
    astr(&b, d->builder ? d->builder : "");
    nx_buf_addc(&b, ',');
    alist(&b, d->args, d->nargs);
    nx_buf_adds(&b, ",[");
    for (size_t i = 0; i < d->nenv; i++) {
        const nx_strpair *e = &d->env[i];
        if (i) nx_buf_addc(&b, ',');
        bool is_out = false;
        if (mask)
            for (size_t o = 0; o < d->noutputs; o++) is_out |= strcmp(d->outputs[o].name, e->k) == 0;
        if (is_out) {
            nx_buf_add(&b, e->esc, e->keylen);
            nx_buf_adds(&b, ",\"\")");
        } else {
            nx_buf_add(&b, e->esc, e->esclen);
        }
    }
    nx_buf_adds(&b, "])");
    *len = b.len;
    return b.data;
}

static bool is_fixed(const nx_drv *d)
{
    return d->noutputs == 1 && strcmp(d->outputs[0].name, "out") == 0 && d->outputs[0].hash[0];
}

/* hashDerivationModulo: fixed-output derivations hash to their output;
 * others to their text with input derivations replaced by their own
 * modulo hashes (known from the table). */
static bool hash_modulo(const nx_drv *d, bool mask, nx_hash *out, char **err)
{
    if (is_fixed(d)) {
        nx_buf s = { 0 };
        nx_buf_printf(&s, "fixed:out:%s:%s:%s", d->outputs[0].hash_algo, d->outputs[0].hash, d->outputs[0].path);
        nx_hash_digest(NX_HASH_SHA256, s.data, s.len, out);
        nx_buf_free(&s);
        return true;
    }
    char **rep = nx_xmalloc((d->ninputs + 1) * sizeof *rep);
    for (size_t i = 0; i < d->ninputs; i++) {
        entry *e = lookup(d->inputs[i].path);
        if (!e || !e->is_drv) {
            nx_buf m = { 0 };
            nx_buf_printf(&m, "cannot compute the hash of derivation '%s': it was not instantiated in this evaluation",
                          d->inputs[i].path);
            *err = m.data;
            free(rep);
            return false;
        }
        rep[i] = e->modulo_hex;
    }
    size_t len;
    char *text = nx_drv_unparse(d, mask, rep, &len);
    nx_hash_digest(NX_HASH_SHA256, text, len, out);
    free(text);
    free(rep);
    return true;
}

/* Debugging aid: with NIXE_DUMP_DRV_DIR set, write each derivation's ATerm
 * text to DIR/<basename of its .drv path> so it can be diffed against the
 * .drv files Nix writes to a scratch store.  Best effort; never fails. */
static void dump_drv(const char *drv_path, const char *text, size_t len)
{
    const char *dir = getenv("NIXE_DUMP_DRV_DIR");
    if (!dir || !*dir) return;
    const char *base = strrchr(drv_path, '/');
    nx_buf fn = { 0 };
    nx_buf_printf(&fn, "%s/%s", dir, base ? base + 1 : drv_path);
    FILE *f = fopen(fn.data, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    nx_buf_free(&fn);
}

/* The memo key of an input-addressed derivation: its hashDerivationModulo
 * with masked outputs (h), which fixes everything but the input
 * derivations' paths, and those inputs with their outputs, as table
 * entries (their addresses: entries live for the process) and sets of
 * their output names (bits of the entry's output list).  Equal keys mean
 * equal texts (up to a SHA-256 collision, which would give equal output
 * paths in Nix too), hence the same .drv path.  False: no key (an
 * output the input does not have, or more than 64 of them). */
static bool drv_key(nx_buf *k, const nx_drv *d, const nx_hash *h)
{
    nx_buf_add(k, (const char *)h->b, h->len);
    for (size_t i = 0; i < d->ninputs; i++) {
        const nx_drv_input *in = &d->inputs[i];
        entry *e = lookup(in->path);
        if (!e || e->noutputs > 64) return false;
        uint64_t set = 0;
        for (size_t j = 0; j < in->noutputs; j++) {
            size_t o = 0;
            while (o < e->noutputs && strcmp(e->outputs[o], in->outputs[j])) o++;
            if (o == e->noutputs) return false;
            set |= (uint64_t)1 << o;
        }
        nx_buf_add(k, (const char *)&e, sizeof e);
        nx_buf_add(k, (const char *)&set, sizeof set);
    }
    return true;
}

bool nx_drv_instantiate(nx_drv *d, char **drv_path, char **err)
{
    nx_drv_normalise(d);
    nx_buf key = { 0 };
    uint64_t kh = 0;
    if (!is_fixed(d)) {
        nx_hash h;
        if (!hash_modulo(d, true, &h, err)) return false;
        for (size_t i = 0; i < d->noutputs; i++) {
            nx_drv_output *o = &d->outputs[i];
            nx_buf type = { 0 }, name = { 0 };
            nx_buf_printf(&type, "output:%s", o->name);
            if (strcmp(o->name, "out") == 0) nx_buf_adds(&name, d->name);
            else nx_buf_printf(&name, "%s-%s", d->name, o->name);
            free(o->path);
            o->path = nx_store_make_path(type.data, &h, name.data);
            nx_drv_setenv(d, o->name, o->path);
            nx_buf_free(&type);
            nx_buf_free(&name);
        }
        sort_n(d->env, d->nenv, sizeof *d->env, cmp_env);
        if (!drv_key(&key, d, &h)) nx_buf_free(&key);
        kh = key.data ? nx_hash_bytes(key.data, key.len) : 0;
        entry *e = key.data ? memo_find(&drv_memo, kh, same_key, &key) : NULL;
        if (e) {
            nx_buf_free(&key);
            *drv_path = dup(e->path);
            return true;
        }
    }
    size_t len;
    char *text = nx_drv_unparse(d, false, NULL, &len);
    size_t nrefs = d->nsrcs + d->ninputs;
    char **refs = nx_xmalloc((nrefs + 1) * sizeof *refs);
    for (size_t i = 0; i < d->nsrcs; i++) refs[i] = d->srcs[i];
    for (size_t i = 0; i < d->ninputs; i++) refs[d->nsrcs + i] = d->inputs[i].path;
    nx_buf dn = { 0 };
    nx_buf_printf(&dn, "%s.drv", d->name);
    *drv_path = nx_store_text_path(dn.data, text, len, refs, nrefs);
    nx_buf_free(&dn);
    dump_drv(*drv_path, text, len);
    free(text);
    entry *e = insert(*drv_path);
    set_refs(e, refs, nrefs);
    free(refs);
    if (!e->is_drv) {
        e->is_drv = true;
        e->outputs = nx_xmalloc((d->noutputs + 1) * sizeof *e->outputs);
        for (size_t i = 0; i < d->noutputs; i++) e->outputs[i] = dup(d->outputs[i].name);
        e->noutputs = d->noutputs;
        if (!hash_modulo(d, false, &e->modulo, err)) {
            nx_buf_free(&key);
            return false;
        }
        nx_base16_encode(e->modulo_hex, e->modulo.b, e->modulo.len);
    }
    if (key.data) memo_add(&drv_memo, kh, e, key.data, key.len);
    return true;
}
