/* fetch.c — the fetchers: builtins.fetchurl, fetchTarball, fetchGit and
 * fetchTree (types file, tarball, git, path, github, gitlab, sourcehut), as
 * modern CppNix computes their results.  Store paths are computed, never written: the fetched data
 * lives in the cache directory (fetch_io.h).
 *
 * Each builtin forces its argument (and the values of an argument set)
 * through NEED first; the download, unpacking and git commands then run
 * inside one step, in C data only, and the result is built at its end. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vm/builtins/builtins.h"
#include "vm/builtins/fetch_io.h"
#include "vm/store/context.h"
#include "vm/store/path.h"

static char *fmt(const char *f, ...) NX_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
    nx_buf b = { 0 };
    va_list ap;
    va_start(ap, f);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, f, ap);
    nx_buf_reserve(&b, (size_t)n + 1);
    vsnprintf(b.data, (size_t)n + 1, f, ap2);
    va_end(ap2);
    va_end(ap);
    return b.data;
}

/* A failure with a message of any length (nx_builtin_fail truncates),
 * without a position: CppNix raises the fetchers' errors at noPos. */
static int fail_msg(nx_vm *vm, char *m)
{
    nx_vm_error(vm, NX_NOPOS, "%s", m);
    free(m);
    return NX_STEP_ERROR;
}

#undef FAIL
#define FAIL(...) return fail_msg(vm, fmt(__VA_ARGS__))

static bool exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

static bool same_hash(const nx_hash *a, const nx_hash *b)
{
    return a->algo == b->algo && a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static char *hash_text(const nx_hash *h, int format, bool prefix)
{
    char out[200];
    nx_hash_format(out, h, format, prefix);
    return nx_xstrndup(out, strlen(out));
}


/* The result string: a store path whose context is itself. */
static nx_value store_path_value(const char *path)
{
    nx_ctxacc a = { 0 };
    nx_ctx_add(&a, path, strlen(path));
    return nx_mk_string(path, strlen(path), nx_ctx_finish(&a));
}

/* ---- cached downloads --------------------------------------------------- */

/* Whether a cached entry (info) may be used without asking the server:
 * its hash (info key `hashkey`, base16) is the sha256 asked for, or it is
 * younger than tarball-ttl. */
static bool cache_fresh(nx_fetch_info *info, const char *hashkey, const nx_hash *want)
{
    const char *t = nx_fetch_info_get(info, "time"), *have = nx_fetch_info_get(info, hashkey);
    if (want && want->algo == NX_HASH_SHA256 && have) {
        char *w = hash_text(want, NX_HASH_BASE16, false);
        bool same = strcmp(w, have) == 0;
        free(w);
        if (same) return true;
    }
    return t && time(NULL) - strtoll(t, NULL, 10) < nx_fetch_ttl();
}

/* Downloads url to dest, revalidating with the cached entry's ETag when
 * there is one (have).  A failure with a cached copy is a warning and the
 * copy is used (*fetched false); without one it is an error.  Returns
 * false on error; *fetched says whether dest holds new data. */
static bool download_or_cached(const char *url, const char *dest, nx_fetch_info *info, bool have, bool *fetched,
                               char **etag, char **err)
{
    bool not_modified = false;
    char *derr = NULL;
    *fetched = false;
    if (!nx_fetch_http(url, dest, have ? nx_fetch_info_get(info, "etag") : NULL, &not_modified, etag, &derr)) {
        if (!have) {
            *err = derr;
            return false;
        }
        fprintf(stderr, "warning: %s; using cached version\n", derr);
        free(derr);
        return true;
    }
    *fetched = !not_modified;
    return true;
}

/* A cache entry's record after a new download of url: the data's hash
 * (hex) under hashkey, and the server's ETag. */
static void info_renew(nx_fetch_info *info, const char *url, const char *hashkey, const nx_hash *h, const char *etag)
{
    char *hex = hash_text(h, NX_HASH_BASE16, false);
    nx_fetch_info_free(info);
    nx_fetch_info_set(info, "url", url);
    nx_fetch_info_set(info, hashkey, hex);
    if (etag) nx_fetch_info_set(info, "etag", etag);
    free(hex);
}

/* Stamps a cache entry's record with the time of its last check (what
 * cache_fresh compares with tarball-ttl) and writes it to infop. */
static void info_stamp(nx_fetch_info *info, const char *infop)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    nx_fetch_info_set(info, "time", now);
    nx_fetch_info_write(infop, info);
}

/* A file downloaded from url into the cache (key: "file", url, name as in
 * CppNix's downloadFile).  A copy younger than tarball-ttl, or whose
 * sha256 is `want`, is used without asking the server; an older one is
 * revalidated with its ETag; a failed download falls back to it with a
 * warning.  *data: the cached file (malloc'd). */
static bool download_file(const char *url, const char *name, const nx_hash *want, char **data, char **err)
{
    char *dir = fmt("%s/file", nx_fetch_cache_dir());
    if (!nx_fetch_mkdirs(dir, err)) {
        free(dir);
        return false;
    }
    char key[53];
    const char *parts[] = { "file", url, name };
    nx_fetch_key(key, parts, 3);
    char *path = fmt("%s/%s", dir, key), *infop = fmt("%s/%s.info", dir, key),
         *tmp = fmt("%s/%s.tmp%d", dir, key, (int)getpid());
    free(dir);
    nx_fetch_info info = { 0 };
    bool have = nx_fetch_info_read(infop, &info) && exists(path);
    bool fresh = have && cache_fresh(&info, "sha256", want);
    bool ok = true;
    if (!fresh) {
        bool fetched;
        char *etag = NULL;
        ok = download_or_cached(url, tmp, &info, have, &fetched, &etag, err);
        if (ok && fetched) {
            nx_hash h;
            if (rename(tmp, path) != 0) {
                *err = fmt("renaming '%s' to '%s': %s", tmp, path, strerror(errno));
                ok = false;
            } else if (!nx_hash_file(path, NX_HASH_SHA256, &h, err)) {
                ok = false;
            } else {
                info_renew(&info, url, "sha256", &h, etag);
            }
        }
        free(etag);
        if (ok) info_stamp(&info, infop);
    }
    unlink(tmp);
    nx_fetch_info_free(&info);
    free(infop);
    free(tmp);
    if (!ok) {
        free(path);
        return false;
    }
    *data = path;
    return true;
}

/* A tarball downloaded and unpacked into the cache (key: "tarball", url).
 * The tree is the archive's single top-level directory if it has one,
 * else its root (CppNix's dereferenceSingletonDirectory), unpacked by
 * GNU tar (which recognises gzip, bzip2, xz and zstd by their magic).
 * Same freshness rules as download_file.  Returns the tree (malloc'd),
 * its NAR sha256 and its newest modification time. */
static bool download_tarball(const char *url, const nx_hash *want, char **tree, nx_hash *nar, time_t *mtime,
                             char **err)
{
    char *dir = fmt("%s/tarball", nx_fetch_cache_dir());
    if (!nx_fetch_mkdirs(dir, err)) {
        free(dir);
        return false;
    }
    char key[53];
    const char *parts[] = { "tarball", url };
    nx_fetch_key(key, parts, 2);
    int pid = (int)getpid();
    char *path = fmt("%s/%s", dir, key), *infop = fmt("%s/%s.info", dir, key),
         *arch = fmt("%s/%s.archive%d", dir, key, pid), *unp = fmt("%s/%s.unpack%d", dir, key, pid),
         *old = fmt("%s/%s.old%d", dir, key, pid);
    free(dir);
    nx_fetch_info info = { 0 };
    bool have = nx_fetch_info_read(infop, &info) && exists(path) && nx_fetch_info_get(&info, "narHash");
    bool fresh = have && cache_fresh(&info, "narHash", want);
    bool ok = true;
    if (!fresh) {
        bool fetched;
        char *etag = NULL;
        ok = download_or_cached(url, arch, &info, have, &fetched, &etag, err);
        if (ok && fetched) {
            nx_fetch_rmtree(unp);
            const char *tar[] = { "tar", "-xf", arch, "-C", unp, "--no-same-owner", NULL };
            char *terr = NULL;
            ok = nx_fetch_mkdirs(unp, err);
            if (ok && !nx_fetch_run(tar, NULL, NULL, &terr)) {
                *err = fmt("unpacking '%s': %s", url, terr);
                free(terr);
                ok = false;
            }
            char *root = NULL;
            if (ok) {
                /* One top-level directory: that is the tree. */
                DIR *d = opendir(unp);
                struct dirent *de;
                int n = 0;
                char *only = NULL;
                while (d && (de = readdir(d))) {
                    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                    n++;
                    free(only);
                    only = fmt("%s/%s", unp, de->d_name);
                }
                if (d) closedir(d);
                struct stat st;
                if (n == 1 && lstat(only, &st) == 0 && S_ISDIR(st.st_mode)) root = only;
                else free(only);
            }
            if (ok) {
                nx_fetch_rmtree(old);
                if (exists(path)) rename(path, old);
                if (rename(root ? root : unp, path) != 0) {
                    *err = fmt("renaming '%s' to '%s': %s", root ? root : unp, path, strerror(errno));
                    ok = false;
                }
                nx_fetch_rmtree(old);
            }
            free(root);
            nx_fetch_rmtree(unp);
            if (ok) {
                nx_hash h;
                ok = nx_nar_hash(path, NX_HASH_SHA256, &h, err);
                if (ok) {
                    char lm[32];
                    snprintf(lm, sizeof lm, "%lld", (long long)nx_fetch_max_mtime(path));
                    info_renew(&info, url, "narHash", &h, etag);
                    nx_fetch_info_set(&info, "lastModified", lm);
                }
            }
        }
        free(etag);
        if (ok) info_stamp(&info, infop);
    }
    unlink(arch);
    if (ok) {
        const char *nh = nx_fetch_info_get(&info, "narHash"), *lm = nx_fetch_info_get(&info, "lastModified");
        int bad;
        nar->algo = NX_HASH_SHA256;
        nar->len = 32;
        if (!nh || nx_base16_decode(nar->b, sizeof nar->b, nh, strlen(nh), &bad) != 32) {
            *err = fmt("corrupt cache entry '%s'", infop);
            ok = false;
        }
        *mtime = lm ? (time_t)strtoll(lm, NULL, 10) : 0;
    }
    nx_fetch_info_free(&info);
    free(infop);
    free(arch);
    free(unp);
    free(old);
    if (!ok) {
        free(path);
        return false;
    }
    *tree = path;
    return true;
}

/* Modern CppNix checks a tree's NAR hash when it mounts the input
 * (EvalState::mountInput): the input is shown as its URL with the
 * narHash query, then the hashes in that function's order (the one found
 * as "expected"). */
static char *nar_mismatch(const char *url, const nx_hash *want, const nx_hash *got)
{
    char *w = hash_text(want, NX_HASH_SRI, true), *g = hash_text(got, NX_HASH_SRI, true);
    nx_buf q = { 0 };
    for (const char *c = w; *c; c++) {
        if (*c == '=' || *c == '+' || *c == '/') nx_buf_printf(&q, "%%%02X", (unsigned char)*c);
        else nx_buf_addc(&q, *c);
    }
    nx_buf_addc(&q, 0);
    char *m = fmt("NAR hash mismatch in input '%s%snarHash=%s', expected '%s' but got '%s'", url,
                  strchr(url, '?') ? "&" : "?", q.data, g, w);
    nx_buf_free(&q);
    free(w);
    free(g);
    return m;
}

/* ---- search path entries ---------------------------------------------------- */

char *nx_fetch_search_entry(const char *url, char **err)
{
    char *u = strncmp(url, "channel:", 8) == 0 ? fmt("https://channels.nixos.org/%s/nixexprs.tar.xz", url + 8)
                                               : fmt("%s", url);
    char *tree = NULL;
    nx_hash nar;
    time_t mtime;
    bool ok = download_tarball(u, NULL, &tree, &nar, &mtime, err);
    free(u);
    if (!ok) {
        free(tree);
        return NULL;
    }
    char *p = nx_store_fixed_path("source", true, &nar);
    nx_store_register_real(p, tree);
    free(tree);
    return p;
}

/* ---- fetchurl / fetchTarball --------------------------------------------- */

/* CppNix's baseNameOf for a URL: the text after the last '/', ignoring
 * trailing slashes. */
static char *url_base_name(const char *url)
{
    size_t n = strlen(url);
    while (n > 1 && url[n - 1] == '/') n--;
    size_t i = n;
    while (i > 0 && url[i - 1] != '/') i--;
    return nx_xstrndup(url + i, n - i);
}

/* fetchurl / fetchTarball: url | { url; sha256 ?; name ?; }. */
static int fetch_common(nx_vm *vm, nx_frame *f, const char *who, bool unpack)
{
    static nx_sym s_url, s_sha256, s_name;
    if (!s_url) {
        s_url = nx_sym_intern_cstr("url");
        s_sha256 = nx_sym_intern_cstr("sha256");
        s_name = nx_sym_intern_cstr("name");
    }
    nx_value url = NX_NOVALUE, sha = NX_NOVALUE, name = NX_NOVALUE;
    bool is_attrs = nx_is_attrs(ARG(0));
    if (is_attrs) {
        nx_attrs *a = nx_attrsp(ARG(0));
        for (uint32_t i = 0; i < a->h.aux; i++) {
            nx_value v = a->a[i].value;
            NEED(v);
            a->a[i].value = v;
            nx_sym k = a->a[i].name;
            if (k != s_url && k != s_sha256 && k != s_name)
                FAIL("unsupported argument '%s' to '%s'", nx_sym_str(k), who);
            EXPECT(v, nx_is_string(v), "a string");
            EXPECT_NO_CTX(v);
            if (k == s_url) url = v;
            else if (k == s_sha256) sha = v;
            else name = v;
        }
        if (!url) FAIL("'url' argument required");
    } else {
        url = ARG(0);
        EXPECT(url, nx_is_string(url), "a string");
        EXPECT_NO_CTX(url);
    }
    const char *u = nx_str(url)->s;
    char *resolved = NULL;
    if (unpack && strncmp(u, "channel:", 8) == 0) u = resolved = fmt("https://channels.nixos.org/%s/nixexprs.tar.xz", u + 8);
    char *nm = name ? nx_xstrndup(nx_str(name)->s, nx_str_len(name)) : unpack ? nx_xstrndup("source", 6) : NULL;
    if (nm && !*nm) {
        free(nm);
        nm = NULL;
    }
    if (!nm) nm = url_base_name(u);
    char *bad = nx_store_check_name(nm, strlen(nm));
    if (bad) {
        const char *how = name ? "Please change the value for the 'name' attribute passed to '%s', so that it can create a valid store path."
                        : is_attrs ? "Please add a valid 'name' attribute to the argument for '%s', so that it can create a valid store path."
                        : "Please pass an attribute set with 'url' and 'name' attributes to '%s',  so that it can create a valid store path.";
        char *h = fmt(how, who);
        char *m = fmt("invalid store path name when fetching URL '%s': %s. %s", u, bad, h);
        free(h);
        free(bad);
        free(nm);
        free(resolved);
        return fail_msg(vm, m);
    }
    nx_hash want, *wantp = NULL;
    if (sha) {
        char *err = NULL;
        if (nx_str_len(sha) == 0) {
            memset(&want, 0, sizeof want);
            want.algo = NX_HASH_SHA256;
            want.len = 32;
            char *sri = hash_text(&want, NX_HASH_SRI, true);
            fprintf(stderr, "warning: found empty hash, assuming '%s'\n", sri);
            free(sri);
        } else if (!nx_hash_parse(nx_str(sha)->s, nx_str_len(sha), NX_HASH_SHA256, &want, &err)) {
            free(nm);
            free(resolved);
            return fail_msg(vm, err);
        }
        wantp = &want;
        /* Pinned and already in the store: nothing to fetch. */
        if (want.algo == NX_HASH_SHA256) {
            char *p = nx_store_fixed_path(nm, unpack, &want);
            if (exists(p)) {
                nx_value r = store_path_value(p);
                free(p);
                free(nm);
                free(resolved);
                RETURN_VALUE(r);
            }
            free(p);
        }
    }
    char *err = NULL, *data = NULL;
    nx_hash got;
    bool ok;
    time_t mtime;
    if (unpack) ok = download_tarball(u, wantp, &data, &got, &mtime, &err);
    else ok = download_file(u, nm, wantp, &data, &err) && nx_hash_file(data, NX_HASH_SHA256, &got, &err);
    if (!ok) {
        free(data);
        free(nm);
        free(resolved);
        return fail_msg(vm, err);
    }
    if (wantp && !same_hash(wantp, &got)) {
        char *m;
        if (unpack) {
            m = nar_mismatch(u, wantp, &got);
        } else {
            char *w = hash_text(wantp, NX_HASH_NIX32, true), *g = hash_text(&got, NX_HASH_NIX32, true);
            m = fmt("hash mismatch in file downloaded from '%s':\n  specified: %s\n  got:       %s", u, w, g);
            free(w);
            free(g);
        }
        free(nm);
        free(resolved);
        free(data);
        nx_fetch_exit_status = 102;
        return fail_msg(vm, m);
    }
    char *p = nx_store_fixed_path(nm, unpack, &got);
    nx_store_register_real(p, data);
    free(data);
    nx_value r = store_path_value(p);
    free(p);
    free(nm);
    free(resolved);
    RETURN_VALUE(r);
}

static int step_fetchurl(nx_vm *vm, nx_frame *f) { return fetch_common(vm, f, "fetchurl", false); }
static int step_fetchTarball(nx_vm *vm, nx_frame *f) { return fetch_common(vm, f, "fetchTarball", true); }

/* ---- git ------------------------------------------------------------------ */

typedef struct git_req {
    char *url;             /* as given (a path becomes file://…) */
    char *name;            /* store name, default "source" */
    char *rev, *ref;       /* NULL: not given */
    bool submodules, shallow, export_ignore, fetch_git;
} git_req;

typedef struct git_res {
    char *store_path;
    nx_hash nar;
    char rev[41];          /* "" for a dirty work tree */
    char dirty_rev[48];    /* HEAD + "-dirty", or "" */
    long long rev_count;   /* -1: none */
    long long last_modified;
} git_res;

static bool git(const char *repo, nx_buf *out, char **err, const char *a0, const char *a1, const char *a2,
                const char *a3, const char *a4, const char *a5)
{
    const char *argv[] = { "git", "-C", repo, a0, a1, a2, a3, a4, a5, NULL };
    return nx_fetch_run(argv, NULL, out, err);
}

/* First line of a command's output, trimmed. */
static char *first_line(nx_buf *b)
{
    size_t n = 0;
    while (n < b->len && b->data[n] != '\n') n++;
    char *s = nx_xstrndup(b->data ? b->data : "", n);
    nx_buf_free(b);
    return s;
}

static bool is_hex_rev(const char *s)
{
    if (strlen(s) != 40) return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return false;
    return true;
}

static bool nar_skip_git(void *cx, const char *path)
{
    (void)cx;
    const char *b = strrchr(path, '/');
    return strcmp(b ? b + 1 : path, ".git") != 0;
}

/* Copies the tracked files of a work tree (a dirty tree) into dst. */
static bool copy_worktree(const char *repo, const char *dst, bool submodules, char **err)
{
    nx_buf out = { 0 };
    const char *argv[] = { "git", "-C", repo, "ls-files", "-z", "--cached", submodules ? "--recurse-submodules" : NULL,
                           NULL };
    if (!nx_fetch_run(argv, NULL, &out, err)) return false;
    bool ok = true;
    for (size_t i = 0; ok && i < out.len;) {
        const char *rel = out.data + i;
        size_t l = strnlen(rel, out.len - i);
        i += l + 1;
        char *from = fmt("%s/%s", repo, rel), *to = fmt("%s/%s", dst, rel);
        char *slash = strrchr(to, '/');
        *slash = 0;
        ok = nx_fetch_mkdirs(to, err);
        *slash = '/';
        struct stat st;
        if (ok && lstat(from, &st) == 0) {
            if (S_ISLNK(st.st_mode)) {
                char target[4096];
                ssize_t n = readlink(from, target, sizeof target - 1);
                if (n >= 0) {
                    target[n] = 0;
                    if (symlink(target, to) != 0) ok = false;
                }
            } else if (S_ISREG(st.st_mode)) {
                FILE *in = fopen(from, "rb"), *o = fopen(to, "wb");
                if (in && o) {
                    char buf[65536];
                    size_t n;
                    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, o);
                }
                if (in) fclose(in);
                if (o) fclose(o);
                chmod(to, st.st_mode & 0100 ? 0755 : 0644);
            }
            if (!ok) *err = fmt("copying '%s': %s", from, strerror(errno));
        }
        free(from);
        free(to);
    }
    nx_buf_free(&out);
    return ok;
}

/* Exports commit rev of repo (its files, no .git) into dst: git archive
 * (which honours export-ignore, as fetchGit does by default), or with
 * submodules a checkout of a temporary clone. */
static bool export_commit(const char *repo, const char *rev, const git_req *q, const char *dst, char **err)
{
    if (!q->submodules) {
        char *tar = fmt("%s.tar", dst);
        const char *a[] = { "git", "-C", repo, "archive", "--format=tar", "-o", tar, rev, NULL };
        const char *t[] = { "tar", "-xf", tar, "-C", dst, NULL };
        bool ok = nx_fetch_mkdirs(dst, err) && nx_fetch_run(a, NULL, NULL, err) && nx_fetch_run(t, NULL, NULL, err);
        unlink(tar);
        free(tar);
        return ok;
    }
    const char *c[] = { "git", "-c", "protocol.file.allow=always", "clone", "--quiet", "--no-checkout", repo, dst, NULL };
    const char *co[] = { "git", "-C", dst, "-c", "advice.detachedHead=false", "checkout", "--quiet", rev, NULL };
    const char *sm[] = { "git", "-C", dst, "-c", "protocol.file.allow=always", "submodule", "--quiet", "update",
                         "--init", "--recursive", NULL };
    return nx_fetch_run(c, NULL, NULL, err) && nx_fetch_run(co, NULL, NULL, err) && nx_fetch_run(sm, NULL, NULL, err);
}

/* The bare cache clone of a remote repository, fetched as needed: ref
 * (default: the remote HEAD's branch) when older than tarball-ttl, and
 * rev when it is not there yet.  *resolved: the commit (40 hex). */
static bool git_remote(const git_req *q, char **repo_out, char *resolved, char **err)
{
    char key[53];
    const char *parts[] = { "git", q->url };
    nx_fetch_key(key, parts, 2);
    char *repo = fmt("%s/gitv3/%s", nx_fetch_cache_dir(), key);
    nx_buf out = { 0 };
    if (!exists(repo)) {
        const char *init[] = { "git", "init", "--bare", "--quiet", repo, NULL };
        if (!nx_fetch_mkdirs(repo, err) || !nx_fetch_run(init, NULL, NULL, err)) {
            free(repo);
            return false;
        }
    }
    char *ref = q->ref ? (strncmp(q->ref, "refs/", 5) == 0 || strcmp(q->ref, "HEAD") == 0 ? fmt("%s", q->ref)
                                                                                           : fmt("refs/heads/%s", q->ref))
                       : NULL;
    bool ok = true;
    if (q->rev) {
        snprintf(resolved, 41, "%s", q->rev);
        char *spec = fmt("%s^{commit}", q->rev);
        char *ign = NULL;
        if (!git(repo, NULL, &ign, "cat-file", "-e", spec, NULL, NULL, NULL)) {
            free(ign);
            char *rs = ref ? fmt("+%s:%s", ref, ref) : fmt("+refs/*:refs/*");
            ok = git(repo, NULL, err, "fetch", "--quiet", "--force", "--", q->url, rs);
            free(rs);
            if (ok && !git(repo, NULL, &ign, "cat-file", "-e", spec, NULL, NULL, NULL)) {
                free(ign);
                *err = fmt("Cannot find Git revision '%s' in ref '%s' of repository '%s'! Please make sure that the "
                           "rev exists on the ref you've specified or add allRefs = true; to fetchGit.",
                           q->rev, ref ? ref : "HEAD", q->url);
                ok = false;
            }
        }
        free(spec);
    } else {
        if (!ref) {
            /* The remote's default branch. */
            char *ign = NULL;
            if (git(repo, &out, &ign, "ls-remote", "--symref", "--", q->url, "HEAD", NULL)) {
                char *l = first_line(&out);
                if (strncmp(l, "ref: ", 5) == 0) {
                    char *tab = strchr(l, '\t');
                    if (tab) *tab = 0;
                    ref = fmt("%s", l + 5);
                }
                free(l);
            } else {
                *err = ign;
                free(repo);
                return false;
            }
            if (!ref) ref = fmt("HEAD");
        }
        /* The time of the last fetch of ref: a stamp file per ref. */
        char *stampkey = fmt("%s", ref);
        for (char *c = stampkey; *c; c++)
            if (*c == '/') *c = '%';
        char *stamp = fmt("%s/nixe-fetched-%s", repo, stampkey);
        free(stampkey);
        struct stat st;
        bool fresh = lstat(stamp, &st) == 0 && time(NULL) - st.st_mtime < nx_fetch_ttl();
        if (!fresh) {
            char *rs = fmt("+%s:%s", ref, ref);
            ok = git(repo, NULL, err, "fetch", "--quiet", "--force", "--", q->url, rs);
            free(rs);
            if (ok) {
                FILE *fp = fopen(stamp, "w");
                if (fp) fclose(fp);
            }
        }
        free(stamp);
        if (ok) {
            char *spec = fmt("%s^{commit}", ref);
            ok = git(repo, &out, err, "rev-parse", "--verify", spec, NULL, NULL, NULL);
            free(spec);
            if (ok) {
                char *l = first_line(&out);
                snprintf(resolved, 41, "%s", l);
                free(l);
            }
        }
    }
    free(ref);
    nx_buf_free(&out);
    if (!ok) {
        free(repo);
        return false;
    }
    *repo_out = repo;
    return true;
}

/* Fetches a git input: resolves the commit, exports its tree into the
 * cache (keyed by commit and options; reused without running git when
 * the commit was given), hashes it.  Local repositories are read in
 * place: with neither rev nor ref, a work tree with uncommitted changes
 * to tracked files is taken as it is (CppNix's dirty tree). */
static bool git_fetch(const git_req *q, git_res *r, char **err)
{
    memset(r, 0, sizeof *r);
    r->rev_count = -1;
    bool local = strncmp(q->url, "file://", 7) == 0;
    const char *lpath = local ? q->url + 7 : NULL;
    char *repo = NULL, rev[41] = "";
    bool ok = true, dirty = false;
    nx_buf out = { 0 };
    if (q->rev && !is_hex_rev(q->rev)) {
        *err = fmt("hash '%s' is not SRI", q->rev);
        return false;
    }
    /* A given commit whose tree is cached needs no repository. */
    bool cached = false;
    if (q->rev) {
        char *t = fmt("%s/git-tree/%s%s%s", nx_fetch_cache_dir(), q->rev, q->submodules ? "-sub" : "",
                      q->export_ignore ? "" : "-noexp");
        char *ip = fmt("%s.info", t);
        cached = exists(t) && exists(ip);
        free(t);
        free(ip);
        if (cached) snprintf(rev, sizeof rev, "%s", q->rev);
    }
    if (cached) {
        repo = fmt("%s", local ? lpath : q->url);
    } else if (local) {
        repo = fmt("%s", lpath);
        if (!exists(repo)) {
            *err = fmt("path '%s' does not exist", repo);
            free(repo);
            return false;
        }
        if (q->rev) snprintf(rev, sizeof rev, "%s", q->rev);
        else {
            if (!q->ref) {
                /* Dirty: uncommitted changes to tracked files. */
                ok = git(repo, &out, err, "status", "--porcelain", "--untracked-files=no",
                         q->submodules ? NULL : "--ignore-submodules", NULL, NULL);
                dirty = ok && out.len > 0;
                nx_buf_free(&out);
            }
            char *ref = !q->ref ? fmt("HEAD")
                      : strncmp(q->ref, "refs/", 5) == 0 || strcmp(q->ref, "HEAD") == 0 ? fmt("%s", q->ref)
                                                                                         : fmt("refs/heads/%s", q->ref);
            char *spec = fmt("%s^{commit}", ref);
            char *ign = NULL;
            if (ok && git(repo, &out, &ign, "rev-parse", "--verify", "--quiet", spec, NULL, NULL)) {
                char *l = first_line(&out);
                snprintf(rev, sizeof rev, "%s", l);
                free(l);
            } else if (ok && !dirty) {
                free(ign);
                ign = NULL;
                *err = q->ref ? fmt("resolving Git reference '%s' in repository '%s'", ref, q->url)
                              : fmt("repository '%s' has no commits", q->url);
                ok = false;
            }
            free(ign);
            free(spec);
            free(ref);
        }
    } else {
        ok = git_remote(q, &repo, rev, err);
    }
    if (!ok) {
        free(repo);
        return false;
    }
    if (q->rev && local && !cached) {
        char *spec = fmt("%s^{commit}", q->rev), *ign = NULL;
        if (!git(repo, NULL, &ign, "cat-file", "-e", spec, NULL, NULL, NULL)) {
            free(ign);
            *err = fmt("Cannot find Git revision '%s' in ref '%s' of repository '%s'! Please make sure that the rev "
                       "exists on the ref you've specified or add allRefs = true; to fetchGit.",
                       q->rev, q->ref ? q->ref : "HEAD", q->url);
            free(spec);
            free(repo);
            return false;
        }
        free(spec);
    }
    /* The tree, cached by commit and options (not for a dirty tree). */
    char *cdir = fmt("%s/git-tree", nx_fetch_cache_dir());
    int pid = (int)getpid();
    char *tree = dirty ? fmt("%s/dirty%d", cdir, pid)
                       : fmt("%s/%s%s%s", cdir, rev, q->submodules ? "-sub" : "", q->export_ignore ? "" : "-noexp");
    char *infop = fmt("%s.info", tree);
    nx_fetch_info info = { 0 };
    ok = nx_fetch_mkdirs(cdir, err);
    if (ok && (dirty || !nx_fetch_info_read(infop, &info) || !exists(tree))) {
        char *tmp = fmt("%s.tmp%d", tree, pid);
        nx_fetch_rmtree(tmp);
        ok = dirty ? nx_fetch_mkdirs(tmp, err) && copy_worktree(repo, tmp, q->submodules, err)
                   : export_commit(repo, rev, q, tmp, err);
        nx_hash h;
        if (ok) ok = nx_nar_hash_filtered(tmp, NX_HASH_SHA256, nar_skip_git, NULL, &h, err);
        long long count = -1, lm = 0;
        if (ok && *rev) {
            char *ign = NULL;
            if (git(repo, &out, &ign, "log", "-1", "--format=%ct", rev, NULL, NULL)) {
                char *l = first_line(&out);
                lm = strtoll(l, NULL, 10);
                free(l);
            }
            free(ign);
            ign = NULL;
            if (git(repo, &out, &ign, "rev-list", "--count", rev, NULL, NULL, NULL)) {
                char *l = first_line(&out);
                count = strtoll(l, NULL, 10);
                free(l);
            }
            free(ign);
        }
        if (ok) {
            char *tgit = fmt("%s/.git", tmp);
            nx_fetch_rmtree(tgit);
            free(tgit);
            nx_fetch_rmtree(tree);
            if (rename(tmp, tree) != 0) {
                *err = fmt("renaming '%s' to '%s': %s", tmp, tree, strerror(errno));
                ok = false;
            }
        }
        nx_fetch_rmtree(tmp);
        free(tmp);
        if (ok) {
            char *hex = hash_text(&h, NX_HASH_BASE16, false), n1[32], n2[32];
            snprintf(n1, sizeof n1, "%lld", count);
            snprintf(n2, sizeof n2, "%lld", lm);
            nx_fetch_info_set(&info, "narHash", hex);
            nx_fetch_info_set(&info, "revCount", n1);
            nx_fetch_info_set(&info, "lastModified", n2);
            free(hex);
            if (!dirty) nx_fetch_info_write(infop, &info);
        }
    }
    if (ok) {
        const char *nh = nx_fetch_info_get(&info, "narHash");
        int bad;
        r->nar.algo = NX_HASH_SHA256;
        r->nar.len = 32;
        if (!nh || nx_base16_decode(r->nar.b, sizeof r->nar.b, nh, strlen(nh), &bad) != 32) {
            *err = fmt("corrupt cache entry '%s'", infop);
            ok = false;
        }
        const char *c = nx_fetch_info_get(&info, "revCount"), *lm = nx_fetch_info_get(&info, "lastModified");
        r->rev_count = c ? strtoll(c, NULL, 10) : -1;
        r->last_modified = lm ? strtoll(lm, NULL, 10) : 0;
    }
    if (dirty && ok) {
        /* Kept (by content) so that the tree can be read. */
        char *hex = hash_text(&r->nar, NX_HASH_BASE16, false);
        char *keep = fmt("%s/dirty-%s%s", cdir, hex, q->submodules ? "-sub" : "");
        nx_fetch_rmtree(keep);
        if (rename(tree, keep) == 0) {
            free(tree);
            tree = keep;
        } else free(keep);
        free(hex);
    } else if (dirty) {
        nx_fetch_rmtree(tree);
    }
    if (dirty) {
        if (ok) {
            fprintf(stderr, "warning: Git tree '%s' is dirty\n", lpath);
            if (*rev) snprintf(r->dirty_rev, sizeof r->dirty_rev, "%s-dirty", rev);
        }
        r->rev[0] = 0;
    } else {
        memcpy(r->rev, rev, sizeof rev);
    }
    if (ok) {
        r->store_path = nx_store_fixed_path(q->name, true, &r->nar);
        nx_store_register_real(r->store_path, tree);
    }
    nx_fetch_info_free(&info);
    free(infop);
    free(tree);
    free(cdir);
    free(repo);
    return ok;
}

/* ---- fetchGit / fetchTree ---------------------------------------------------- */

static void put_attr(nx_attrs *a, const char *name, nx_value v)
{
    a->a[a->h.aux++] = (nx_attr){ nx_sym_intern_cstr(name), 0, v };
}

static void put_last_modified(nx_attrs *a, long long lm)
{
    time_t t = (time_t)lm;
    struct tm tm;
    char date[32];
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y%m%d%H%M%S", &tm);
    put_attr(a, "lastModified", nx_mk_int(lm));
    put_attr(a, "lastModifiedDate", nx_mk_cstring(date));
}

static nx_value git_result(const git_req *q, const git_res *r)
{
    nx_attrs *a = nx_alloc_attrs(10);
    a->h.aux = 0;
    char *sri = hash_text(&r->nar, NX_HASH_SRI, true);
    put_attr(a, "outPath", store_path_value(r->store_path));
    put_attr(a, "narHash", nx_mk_cstring(sri));
    free(sri);
    put_attr(a, "submodules", nx_bool(q->submodules));
    if (r->rev[0] || q->fetch_git) {
        const char *rev = r->rev[0] ? r->rev : "0000000000000000000000000000000000000000";
        put_attr(a, "rev", nx_mk_cstring(rev));
        put_attr(a, "shortRev", nx_mk_string(rev, 7, NULL));
    }
    if (r->rev[0] && r->rev_count >= 0 && !q->shallow) put_attr(a, "revCount", nx_mk_int(r->rev_count));
    else if (!r->rev[0] && q->fetch_git) put_attr(a, "revCount", nx_mk_int(0));
    if (r->dirty_rev[0]) {
        put_attr(a, "dirtyRev", nx_mk_cstring(r->dirty_rev));
        char s[16];
        snprintf(s, sizeof s, "%.7s-dirty", r->dirty_rev);
        put_attr(a, "dirtyShortRev", nx_mk_cstring(s));
    }
    put_last_modified(a, r->last_modified);
    nx_attrs_sort(a);
    return nx_from_obj(a);
}

static void git_req_free(git_req *q)
{
    free(q->url);
    free(q->name);
    free(q->rev);
    free(q->ref);
}

/* The text of a string or path argument value (CppNix coerceToString
 * without copying to the store). */
static char *arg_text(nx_value v) { return nx_xstrndup(nx_str(v)->s, nx_str_len(v)); }

/* fixGitURL: an absolute path becomes a file:// URL. */
static char *git_url(const char *s)
{
    if (s[0] == '/') return fmt("file://%s", s);
    return fmt("%s", s);
}

static int run_git(nx_vm *vm, git_req *q)
{
    if (!q->name) q->name = fmt("source");
    char *bad = nx_store_check_name(q->name, strlen(q->name));
    if (bad) {
        git_req_free(q);
        return fail_msg(vm, bad);
    }
    git_res r;
    char *err = NULL;
    if (!git_fetch(q, &r, &err)) {
        char *m = fmt("%s", err);
        free(err);
        git_req_free(q);
        return fail_msg(vm, m);
    }
    vm->ret = git_result(q, &r);
    free(r.store_path);
    git_req_free(q);
    return NX_STEP_RETURN;
}

/* Forces every value of an argument set (before any I/O). */
#define FORCE_ALL(set)                                                        \
    do {                                                                      \
        nx_attrs *a_ = nx_attrsp(set);                                        \
        for (uint32_t i_ = 0; i_ < a_->h.aux; i_++) {                         \
            nx_value v_ = a_->a[i_].value;                                    \
            NEED(v_);                                                         \
            a_->a[i_].value = v_;                                             \
        }                                                                     \
    } while (0)

/* Reads the git attributes of a forced set into q; fetchTree's `type`
 * is skipped.  Returns false with the error set. */
static bool git_attrs(nx_vm *vm, nx_attrs *a, git_req *q, const char *who)
{
    for (uint32_t i = 0; i < a->h.aux; i++) {
        const char *k = nx_sym_str(a->a[i].name);
        nx_value v = a->a[i].value;
        if (strcmp(k, "type") == 0) continue;
        bool str = nx_is_string(v) || nx_is_path(v), boolean = v == NX_TRUE || v == NX_FALSE;
        if (!str && !boolean && !nx_is_int(v)) {
            nx_vm_error(vm, NX_NOPOS, "argument '%s' to '%s' is %s while a string, Boolean or integer is expected",
                        k, who, nx_type_phrase(v));
            return false;
        }
        if (strcmp(k, "url") == 0 && str) q->url = git_url(nx_str(v)->s);
        else if (strcmp(k, "name") == 0 && str) q->name = arg_text(v);
        else if (strcmp(k, "rev") == 0 && str) q->rev = arg_text(v);
        else if (strcmp(k, "ref") == 0 && str) q->ref = arg_text(v);
        else if (strcmp(k, "submodules") == 0 && boolean) q->submodules = v == NX_TRUE;
        else if (strcmp(k, "shallow") == 0 && boolean) q->shallow = v == NX_TRUE;
        else if (strcmp(k, "exportIgnore") == 0 && boolean) q->export_ignore = v == NX_TRUE;
        else if (strcmp(k, "allRefs") == 0 || strcmp(k, "lfs") == 0 || strcmp(k, "narHash") == 0
                 || strcmp(k, "lastModified") == 0 || strcmp(k, "revCount") == 0 || strcmp(k, "verifyCommit") == 0
                 || strcmp(k, "keytype") == 0 || strcmp(k, "publicKey") == 0 || strcmp(k, "dirtyRev") == 0
                 || strcmp(k, "dirtyShortRev") == 0)
            continue;
        else {
            nx_vm_error(vm, NX_NOPOS, "unsupported Git input attribute '%s'", k);
            return false;
        }
    }
    if (!q->url) {
        nx_vm_error(vm, NX_NOPOS, "required attribute 'url' missing");
        return false;
    }
    return true;
}

/* fetchGit url | { url; name ?; rev ?; ref ?; submodules ?; shallow ?;
 * exportIgnore ?; allRefs ?; } */
static int step_fetchGit(nx_vm *vm, nx_frame *f)
{
    git_req q = { 0 };
    q.fetch_git = true;
    if (nx_is_attrs(ARG(0))) {
        FORCE_ALL(ARG(0));
        nx_attrs *a = nx_attrsp(ARG(0));
        if (nx_attrs_get(a, nx_sym_intern_cstr("type"))) FAIL("unexpected argument 'type'");
        q.export_ignore = true;
        if (!git_attrs(vm, a, &q, "fetchGit")) {
            git_req_free(&q);
            return NX_STEP_ERROR;
        }
        if (q.submodules) {
            nx_attr *e = nx_attrs_get(a, nx_sym_intern_cstr("exportIgnore"));
            q.export_ignore = e && e->value == NX_TRUE;
        }
    } else {
        EXPECT(ARG(0), nx_is_string(ARG(0)) || nx_is_path(ARG(0)), "a string");
        q.url = git_url(nx_str(ARG(0))->s);
        q.export_ignore = true;
    }
    return run_git(vm, &q);
}

/* fetchTree { type = "path"; path; rev ?; revCount ?; lastModified ?;
 * narHash ?; }: the directory (or file) copied to the store as "source"
 * (computed, not written: the store path reads the original), its
 * lastModified the newest mtime under it unless given, the user's rev
 * and revCount passed through (CppNix's path input scheme). */
static int fetch_tree_path(nx_vm *vm, nx_attrs *a)
{
    const char *path = NULL, *rev = NULL;
    long long rev_count = -1, last_modified = -1;
    nx_hash want, *wantp = NULL;
    for (uint32_t i = 0; i < a->h.aux; i++) {
        const char *k = nx_sym_str(a->a[i].name);
        nx_value v = a->a[i].value;
        if (strcmp(k, "type") == 0) continue;
        if (strcmp(k, "path") == 0 || strcmp(k, "rev") == 0 || strcmp(k, "narHash") == 0) {
            EXPECT(v, nx_is_string(v) || nx_is_path(v), "a string");
            if (k[0] == 'p') path = nx_str(v)->s;
            else if (k[0] == 'r') rev = nx_str(v)->s;
            else {
                char *err = NULL;
                if (!nx_hash_parse(nx_str(v)->s, nx_str_len(v), -1, &want, &err)) return fail_msg(vm, err);
                wantp = &want;
            }
        } else if (strcmp(k, "revCount") == 0 || strcmp(k, "lastModified") == 0) {
            EXPECT(v, nx_is_int(v), "an integer");
            if (k[0] == 'r') rev_count = nx_int_val(v);
            else last_modified = nx_int_val(v);
        } else {
            FAIL("input attribute '%s' not supported by scheme 'path'", k);
        }
    }
    if (!path) FAIL("required attribute 'path' missing");
    if (path[0] != '/') FAIL("cannot fetch input 'path:%s' because it uses a relative path", path);
    if (rev && !is_hex_rev(rev)) FAIL("hash '%s' is not SRI", rev);
    char canon[PATH_MAX + 2], rbuf[PATH_MAX];
    size_t pl = strlen(path);
    if (pl > PATH_MAX) FAIL("path '%s' is too long", path);
    nx_canon_path(canon, path, pl);
    const char *real = nx_store_real_path(canon, rbuf, sizeof rbuf);
    if (!exists(real)) FAIL("path '%s' does not exist", canon);
    char *err = NULL;
    nx_hash nar;
    if (!nx_nar_hash(real, NX_HASH_SHA256, &nar, &err)) return fail_msg(vm, err);
    if (wantp && !same_hash(wantp, &nar)) {
        char *u = fmt("path:%s", canon);
        char *m = nar_mismatch(u, wantp, &nar);
        free(u);
        nx_fetch_exit_status = 102;
        return fail_msg(vm, m);
    }
    if (last_modified < 0) last_modified = (long long)nx_fetch_max_mtime(real);
    char *p = nx_store_fixed_path("source", true, &nar), *sri = hash_text(&nar, NX_HASH_SRI, true);
    nx_store_register_real(p, real);
    nx_attrs *r = nx_alloc_attrs(7);
    r->h.aux = 0;
    put_attr(r, "outPath", store_path_value(p));
    put_attr(r, "narHash", nx_mk_cstring(sri));
    put_last_modified(r, last_modified);
    if (rev) {
        put_attr(r, "rev", nx_mk_cstring(rev));
        put_attr(r, "shortRev", nx_mk_string(rev, 7, NULL));
    }
    if (rev_count >= 0) put_attr(r, "revCount", nx_mk_int(rev_count));
    free(p);
    free(sri);
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

/* ---- fetchTree github / gitlab / sourcehut ---------------------------------- */

/* A git archive input (CppNix's GitArchiveInputScheme, github.cc). */
typedef struct archive_req {
    const char *type; /* "github", "gitlab", "sourcehut" */
    char *owner, *repo, *ref, *rev, *host;
    nx_hash want;
    bool has_want;
} archive_req;

static void archive_req_free(archive_req *q)
{
    free(q->owner);
    free(q->repo);
    free(q->ref);
    free(q->rev);
    free(q->host);
}

/* The URL actually requested for `url`: for tests only, NIXE_TEST_FETCH_BASE
 * (e.g. http://127.0.0.1:PORT) replaces its scheme and host, as CppNix
 * always uses https and its host names allow no port. */
static char *archive_redirect(const char *url)
{
    const char *base = getenv("NIXE_TEST_FETCH_BASE");
    if (!base || !*base || strncmp(url, "https://", 8) != 0) return fmt("%s", url);
    const char *rest = strchr(url + 8, '/');
    return fmt("%s%s", base, rest ? rest : "");
}

static const char *archive_host(const archive_req *q)
{
    if (q->host) return q->host;
    return strcmp(q->type, "github") == 0 ? "github.com" : strcmp(q->type, "gitlab") == 0 ? "gitlab.com" : "git.sr.ht";
}

/* A small file (an API answer) downloaded into the cache, read whole. */
static char *archive_get(const char *url, char **err)
{
    char *u = archive_redirect(url), *path = NULL;
    bool ok = download_file(u, "source", NULL, &path, err);
    free(u);
    if (!ok) {
        free(path);
        return NULL;
    }
    nx_buf b = { 0 };
    FILE *fp = fopen(path, "rb");
    if (fp) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) nx_buf_add(&b, chunk, n);
        fclose(fp);
    }
    nx_buf_addc(&b, 0);
    free(path);
    return b.data;
}

/* The 40 hex digits after the first `"key"` and its colon in a JSON text
 * (github's commit "sha", gitlab's first commit "id"), or NULL. */
static char *json_rev(const char *text, const char *key)
{
    char *k = fmt("\"%s\"", key);
    const char *at = strstr(text, k);
    free(k);
    if (!at) return NULL;
    at += strlen(key) + 2;
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r' || *at == ':') at++;
    if (*at != '"') return NULL;
    char *r = nx_xstrndup(at + 1, strnlen(at + 1, 40));
    if (!is_hex_rev(r) || at[41] != '"') {
        free(r);
        return NULL;
    }
    return r;
}

/* The commit `ref` names (CppNix's getRevFromRef), or NULL with *err. */
static char *archive_resolve(const archive_req *q, char **err)
{
    const char *h = archive_host(q), *ref = q->ref ? q->ref : "HEAD";
    char *url, *text, *rev = NULL;
    if (strcmp(q->type, "github") == 0) {
        url = strcmp(h, "github.com") == 0 ? fmt("https://api.%s/repos/%s/%s/commits/%s", h, q->owner, q->repo, ref)
                                           : fmt("https://%s/api/v3/repos/%s/%s/commits/%s", h, q->owner, q->repo, ref);
        if ((text = archive_get(url, err))) rev = json_rev(text, "sha");
    } else if (strcmp(q->type, "gitlab") == 0) {
        url = fmt("https://%s/api/v4/projects/%s%%2F%s/repository/commits?ref_name=%s", h, q->owner, q->repo, ref);
        if ((text = archive_get(url, err))) rev = json_rev(text, "id");
    } else {
        /* sourcehut: HEAD names a ref ("ref: refs/heads/main"); info/refs
         * lists "REV\tREF" lines. */
        url = fmt("https://%s/%s/%s/info/refs", h, q->owner, q->repo);
        char *want = NULL;
        if (strcmp(ref, "HEAD") == 0) {
            char *hu = fmt("https://%s/%s/%s/HEAD", h, q->owner, q->repo), *head = archive_get(hu, err);
            const char *r = head ? strstr(head, "ref: ") : NULL;
            if (head && !r) *err = fmt("in 'sourcehut:%s/%s', couldn't resolve HEAD ref 'HEAD'", q->owner, q->repo);
            if (r) want = nx_xstrndup(r + 5, strcspn(r + 5, "\r\n"));
            free(hu);
            free(head);
        }
        text = (want || strcmp(ref, "HEAD")) ? archive_get(url, err) : NULL;
        for (const char *line = text; line && *line && !rev;) {
            size_t n = strcspn(line, "\n");
            const char *tab = memchr(line, '\t', n);
            if (tab && tab - line == 40) {
                char *name = nx_xstrndup(tab + 1, (size_t)(line + n - tab - 1));
                char *heads = fmt("refs/heads/%s", ref), *tags = fmt("refs/tags/%s", ref);
                if (want ? strcmp(name, want) == 0 : (strcmp(name, heads) == 0 || strcmp(name, tags) == 0))
                    rev = nx_xstrndup(line, 40);
                free(name);
                free(heads);
                free(tags);
            }
            line += n + (line[n] == '\n');
        }
        if (text && !rev) *err = fmt("no commit hash found for input 'sourcehut:%s/%s/%s'", q->owner, q->repo, ref);
        free(want);
    }
    if (text && !rev && !*err) *err = fmt("no commit hash found in the answer of '%s'", url);
    free(text);
    free(url);
    return rev;
}

/* The tarball URL CppNix downloads for a commit (getDownloadUrl; github
 * without an access token: the public archive URL). */
static char *archive_url(const archive_req *q, const char *rev)
{
    const char *h = archive_host(q);
    if (strcmp(q->type, "github") == 0)
        return strcmp(h, "github.com") == 0 ? fmt("https://%s/%s/%s/archive/%s.tar.gz", h, q->owner, q->repo, rev)
                                            : fmt("https://%s/api/v3/repos/%s/%s/tarball/%s", h, q->owner, q->repo, rev);
    if (strcmp(q->type, "gitlab") == 0)
        return fmt("https://%s/api/v4/projects/%s%%2F%s/repository/archive.tar.gz?sha=%s", h, q->owner, q->repo, rev);
    return fmt("https://%s/%s/%s/archive/%s.tar.gz", h, q->owner, q->repo, rev);
}

/* CppNix's refRegex, revRegex and hostRegex (fetchers.hh, github.cc). */
static bool valid_ref(const char *r)
{
    if (!*r || *r == '-' || *r == '.') return false;
    for (const char *c = r; *c; c++)
        if (!(('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9') || strchr("/._+-", *c)))
            return false;
    return !strstr(r, "..") && !strstr(r, "/.") && !strstr(r, "@{") && r[strlen(r) - 1] != '.' && r[strlen(r) - 1] != '/';
}

static bool valid_host(const char *h)
{
    for (const char *c = h; *c; c++)
        if (!(('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9') || *c == '.')) return false;
    return true;
}

/* "github:owner/repo[/ref-or-rev][?rev=…&ref=…&host=…]" into q, or an
 * error message (CppNix's inputFromURL). */
static char *archive_parse_url(const char *url, archive_req *q)
{
    const char *colon = strchr(url, ':');
    q->type = strncmp(url, "github:", 7) == 0 ? "github" : strncmp(url, "gitlab:", 7) == 0 ? "gitlab" : "sourcehut";
    const char *path = colon + 1;
    size_t plen = strcspn(path, "?#");
    char *p = nx_xstrndup(path, plen);
    char *parts[64];
    int n = 0;
    for (char *tok = strtok(p, "/"); tok && n < 64; tok = strtok(NULL, "/")) parts[n++] = tok;
    char *e = NULL;
    if (n < 2) e = fmt("URL '%s' is invalid", url);
    else {
        q->owner = fmt("%s", parts[0]);
        q->repo = fmt("%s", parts[1]);
        if (n == 3 && is_hex_rev(parts[2])) q->rev = fmt("%s", parts[2]);
        else if (n >= 3) {
            nx_buf rs = { 0 };
            for (int i = 2; i < n; i++) nx_buf_printf(&rs, "%s%s", i > 2 ? "/" : "", parts[i]);
            nx_buf_addc(&rs, 0);
            if (valid_ref(rs.data)) q->ref = rs.data;
            else {
                e = n == 3 ? fmt("in URL '%s', '%s' is not a commit hash or branch/tag name", url, rs.data)
                           : fmt("in URL '%s', '%s' is not a branch/tag name", url, rs.data);
                nx_buf_free(&rs);
            }
        }
    }
    free(p);
    const char *qs = path[plen] == '?' ? path + plen + 1 : NULL;
    while (!e && qs && *qs) {
        size_t m = strcspn(qs, "&#");
        char *kv = nx_xstrndup(qs, m), *eq = strchr(kv, '=');
        const char *v = eq ? (*eq = 0, eq + 1) : "";
        if (strcmp(kv, "rev") == 0) {
            if (q->rev) e = fmt("URL '%s' contains multiple commit hashes", url);
            else if (!is_hex_rev(v)) e = fmt("invalid Git revision '%s'", v);
            else q->rev = fmt("%s", v);
        } else if (strcmp(kv, "ref") == 0) {
            if (!valid_ref(v)) e = fmt("URL '%s' contains an invalid branch/tag name", url);
            else if (q->ref) e = fmt("URL '%s' contains multiple branch/tag names", url);
            else q->ref = fmt("%s", v);
        } else if (strcmp(kv, "host") == 0) {
            if (!valid_host(v)) e = fmt("URL '%s' contains an invalid instance host", url);
            else {
                free(q->host);
                q->host = fmt("%s", v);
            }
        }
        free(kv);
        qs += m;
        if (*qs == '&') qs++;
        else break;
    }
    if (!e && q->ref && q->rev)
        e = fmt("URL '%s' contains both a commit hash and a branch/tag name %s %s", url, q->ref, q->rev);
    return e;
}

/* Fetches q: the commit (resolved from the ref when not given), its
 * tarball through the tarball path, the result as CppNix's fetchTree
 * gives it. */
static int archive_fetch(nx_vm *vm, archive_req *q)
{
    char *err = NULL;
    if (!q->rev) {
        q->rev = archive_resolve(q, &err);
        if (!q->rev) {
            if (!err) err = fmt("cannot resolve the commit of input '%s:%s/%s'", q->type, q->owner, q->repo);
            archive_req_free(q);
            return fail_msg(vm, err);
        }
    }
    char *url = archive_url(q, q->rev), *real = archive_redirect(url), *tree = NULL;
    nx_hash nar;
    time_t mtime = 0;
    bool ok = download_tarball(real, q->has_want ? &q->want : NULL, &tree, &nar, &mtime, &err);
    free(real);
    if (!ok) {
        free(url);
        free(tree);
        archive_req_free(q);
        return fail_msg(vm, err);
    }
    free(url);
    if (q->has_want && !same_hash(&q->want, &nar)) {
        free(tree);
        char *in = fmt("%s:%s/%s/%s", q->type, q->owner, q->repo, q->rev);
        char *m = nar_mismatch(in, &q->want, &nar);
        free(in);
        archive_req_free(q);
        nx_fetch_exit_status = 102;
        return fail_msg(vm, m);
    }
    nx_attrs *r = nx_alloc_attrs(6);
    r->h.aux = 0;
    char *p = nx_store_fixed_path("source", true, &nar), *sri = hash_text(&nar, NX_HASH_SRI, true);
    nx_store_register_real(p, tree);
    free(tree);
    put_attr(r, "outPath", store_path_value(p));
    put_attr(r, "narHash", nx_mk_cstring(sri));
    put_attr(r, "rev", nx_mk_cstring(q->rev));
    put_attr(r, "shortRev", nx_mk_string(q->rev, 7, NULL));
    put_last_modified(r, (long long)mtime);
    free(p);
    free(sri);
    archive_req_free(q);
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

/* fetchTree { type = "github" | "gitlab" | "sourcehut"; owner; repo; rev ?;
 * ref ?; host ?; narHash ?; lastModified ?; } (CppNix's inputFromAttrs). */
static int fetch_tree_archive(nx_vm *vm, nx_attrs *a, const char *type)
{
    archive_req q = { .type = strcmp(type, "github") == 0 ? "github" : strcmp(type, "gitlab") == 0 ? "gitlab" : "sourcehut" };
    for (uint32_t i = 0; i < a->h.aux; i++) {
        const char *k = nx_sym_str(a->a[i].name);
        nx_value v = a->a[i].value;
        if (strcmp(k, "type") == 0 || strcmp(k, "lastModified") == 0) continue;
        char **slot = strcmp(k, "owner") == 0 ? &q.owner : strcmp(k, "repo") == 0 ? &q.repo : strcmp(k, "ref") == 0 ? &q.ref
                    : strcmp(k, "rev") == 0 ? &q.rev : strcmp(k, "host") == 0 ? &q.host : NULL;
        if (!slot && strcmp(k, "narHash")) {
            archive_req_free(&q);
            FAIL("unsupported input attribute '%s'", k);
        }
        if (!nx_is_string(v)) {
            archive_req_free(&q);
            EXPECT(v, false, "a string");
        }
        if (!slot) {
            char *err = NULL;
            if (!nx_hash_parse(nx_str(v)->s, nx_str_len(v), -1, &q.want, &err)) {
                archive_req_free(&q);
                return fail_msg(vm, err);
            }
            q.has_want = true;
            continue;
        }
        *slot = arg_text(v);
    }
    const char *missing = !q.owner ? "owner" : !q.repo ? "repo" : NULL;
    if (missing) {
        archive_req_free(&q);
        FAIL("input attribute '%s' missing", missing);
    }
    if (q.rev && !is_hex_rev(q.rev)) {
        char *m = fmt("invalid Git revision '%s'", q.rev);
        archive_req_free(&q);
        return fail_msg(vm, m);
    }
    return archive_fetch(vm, &q);
}

/* fetchTree { type = "file" | "tarball" | "git" | "path" | "github" | "gitlab" | "sourcehut"; … }
 * or a github:, gitlab:, sourcehut: URL string */
static int step_fetchTree(nx_vm *vm, nx_frame *f)
{
    if (!nx_is_attrs(ARG(0))) {
        EXPECT(ARG(0), nx_is_string(ARG(0)) || nx_is_path(ARG(0)), "a set");
        const char *u = nx_str(ARG(0))->s;
        if (nx_is_string(ARG(0)) &&
            (strncmp(u, "github:", 7) == 0 || strncmp(u, "gitlab:", 7) == 0 || strncmp(u, "sourcehut:", 10) == 0)) {
            archive_req q = { 0 };
            char *e = archive_parse_url(u, &q);
            if (e) {
                archive_req_free(&q);
                return fail_msg(vm, e);
            }
            return archive_fetch(vm, &q);
        }
        FAIL("passing a string argument to 'fetchTree' requires the 'flakes' experimental feature");
    }
    FORCE_ALL(ARG(0));
    nx_attrs *a = nx_attrsp(ARG(0));
    nx_attr *ta = nx_attrs_get(a, nx_sym_intern_cstr("type"));
    if (!ta) FAIL("argument 'type' is missing in call to 'fetchTree'");
    EXPECT(ta->value, nx_is_string(ta->value), "a string");
    EXPECT_NO_CTX(ta->value);
    const char *type = nx_str(ta->value)->s;
    if (strcmp(type, "git") == 0) {
        git_req q = { 0 };
        q.shallow = true;
        if (!git_attrs(vm, a, &q, "fetchTree")) {
            git_req_free(&q);
            return NX_STEP_ERROR;
        }
        nx_attr *sh = nx_attrs_get(a, nx_sym_intern_cstr("shallow"));
        q.shallow = !sh || sh->value == NX_TRUE;
        return run_git(vm, &q);
    }
    if (strcmp(type, "path") == 0) return fetch_tree_path(vm, a);
    if (strcmp(type, "github") == 0 || strcmp(type, "gitlab") == 0 || strcmp(type, "sourcehut") == 0)
        return fetch_tree_archive(vm, a, type);
    if (strcmp(type, "file") && strcmp(type, "tarball")) FAIL("input type '%s' is not supported by nixe's fetchTree", type);
    bool unpack = strcmp(type, "tarball") == 0;
    const char *url = NULL, *name = "source";
    nx_hash want, *wantp = NULL;
    for (uint32_t i = 0; i < a->h.aux; i++) {
        const char *k = nx_sym_str(a->a[i].name);
        nx_value v = a->a[i].value;
        if (strcmp(k, "type") == 0) continue;
        if (strcmp(k, "url") == 0 || strcmp(k, "name") == 0 || strcmp(k, "narHash") == 0) {
            EXPECT(v, nx_is_string(v) || nx_is_path(v), "a string");
            if (k[0] == 'u') url = nx_str(v)->s;
            else if (k[0] == 'n' && k[1] == 'a' && k[2] == 'm') name = nx_str(v)->s;
            else {
                char *err = NULL;
                if (!nx_hash_parse(nx_str(v)->s, nx_str_len(v), -1, &want, &err)) return fail_msg(vm, err);
                wantp = &want;
            }
        } else if (strcmp(k, "unpack") && strcmp(k, "rev") && strcmp(k, "revCount") && strcmp(k, "lastModified")) {
            FAIL("input attribute '%s' not supported by scheme '%s'", k, type);
        }
    }
    if (!url) FAIL("required attribute 'url' missing");
    char *bad = nx_store_check_name(name, strlen(name));
    if (bad) return fail_msg(vm, bad);
    char *err = NULL, *data = NULL;
    nx_hash nar;
    time_t mtime = 0;
    bool ok = unpack ? download_tarball(url, wantp, &data, &nar, &mtime, &err)
                     : download_file(url, name, NULL, &data, &err) && nx_nar_hash(data, NX_HASH_SHA256, &nar, &err);
    if (!ok) {
        free(data);
        return fail_msg(vm, err);
    }
    if (wantp && !same_hash(wantp, &nar)) {
        free(data);
        char *m = nar_mismatch(url, wantp, &nar);
        nx_fetch_exit_status = 102;
        return fail_msg(vm, m);
    }
    nx_attrs *r = nx_alloc_attrs(4);
    r->h.aux = 0;
    char *p = nx_store_fixed_path(name, true, &nar), *sri = hash_text(&nar, NX_HASH_SRI, true);
    nx_store_register_real(p, data);
    free(data);
    put_attr(r, "outPath", store_path_value(p));
    put_attr(r, "narHash", nx_mk_cstring(sri));
    if (unpack) put_last_modified(r, (long long)mtime);
    free(p);
    free(sri);
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

/* ---- fetchMercurial ------------------------------------------------------ */

/* Runs hg with HGPLAIN set (no user configuration), output into *out.  A
 * failure is CppNix's "hg failed with exit code N", hg's own message
 * having gone to stderr first (as CppNix lets it through). */
static bool hg(nx_buf *out, char **err, const char *a0, const char *a1, const char *a2, const char *a3,
               const char *a4, const char *a5, const char *a6, const char *a7)
{
    const char *argv[] = { "hg", a0, a1, a2, a3, a4, a5, a6, a7, NULL };
    setenv("HGPLAIN", "", 1);
    char *e = NULL;
    if (nx_fetch_run(argv, NULL, out, &e)) return true;
    const char *nl = strchr(e, '\n');
    if (nl) fprintf(stderr, "%s\n", nl + 1);
    const char *code = strstr(e, "failed with exit code ");
    if (strncmp(e, "program 'hg' ", 13) == 0 && code) {
        int n = (int)strcspn(code, "\n");
        *err = fmt("hg %.*s", n, code);
        free(e);
    } else *err = e;
    return false;
}

typedef struct hg_files {
    char **v;
    size_t n;
} hg_files;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* NAR filter of a dirty tree: tracked files and the directories that
 * hold one (path is absolute; cx: the root's length and the sorted list). */
typedef struct hg_filter {
    size_t rootlen;
    hg_files files;
} hg_filter;

static bool hg_keep(void *cx, const char *path)
{
    hg_filter *h = cx;
    const char *rel = path + h->rootlen;
    if (*rel == '/') rel++;
    if (!*rel) return true;
    size_t rl = strlen(rel);
    for (size_t i = 0; i < h->files.n; i++) {
        const char *f = h->files.v[i];
        if (strcmp(f, rel) == 0 || (strncmp(f, rel, rl) == 0 && f[rl] == '/')) return true;
    }
    return false;
}

/* fetchMercurial url | { url; rev ?; name ?; } through the `hg` command,
 * as modern CppNix's Mercurial input: a local repository without rev with
 * uncommitted changes is taken as its tracked files (rev 000…); otherwise
 * a cache clone (pulled when the rev is not there), `hg archive` of the
 * revision, revCount = its local revision number. */
static int step_fetchMercurial(nx_vm *vm, nx_frame *f)
{
    char *url = NULL, *rev = NULL, *ref = NULL, *name = NULL;
    if (nx_is_attrs(ARG(0))) {
        FORCE_ALL(ARG(0));
        nx_attrs *a = nx_attrsp(ARG(0));
        for (uint32_t i = 0; i < a->h.aux; i++) {
            const char *k = nx_sym_str(a->a[i].name);
            nx_value v = a->a[i].value;
            bool known = strcmp(k, "url") == 0 || strcmp(k, "rev") == 0 || strcmp(k, "name") == 0;
            if (known && !(nx_is_string(v) || (k[0] == 'u' && nx_is_path(v)))) {
                free(url), free(rev), free(ref), free(name);
                return nx_builtin_type_error(vm, v, "a string");
            }
            if (known && k[0] != 'u' && nx_str(v)->ctx) {
                free(url), free(rev), free(ref), free(name);
                nx_string_ctx_error(vm, v);
                return NX_STEP_ERROR;
            }
            if (strcmp(k, "url") == 0) url = arg_text(v);
            else if (strcmp(k, "rev") == 0) {
                /* A 40-hex revision, else a branch or tag name. */
                free(rev), free(ref);
                rev = ref = NULL;
                if (is_hex_rev(nx_str(v)->s)) rev = arg_text(v);
                else ref = arg_text(v);
            } else if (strcmp(k, "name") == 0) name = arg_text(v);
            else {
                free(url), free(rev), free(ref), free(name);
                FAIL("unsupported argument '%s' to 'fetchMercurial'", k);
            }
        }
        if (!url || !*url) {
            free(url), free(rev), free(ref), free(name);
            FAIL("'url' argument required");
        }
    } else {
        EXPECT(ARG(0), nx_is_string(ARG(0)) || nx_is_path(ARG(0)), "a string");
        url = arg_text(ARG(0));
    }
    if (!name) name = fmt("source");
    char *err = NULL, *bad = nx_store_check_name(name, strlen(name));
    char *full = strstr(url, "://") ? fmt("%s", url) : fmt("file://%s", url);
    char *cache = NULL, *tree = NULL, *store_path = NULL, *branch = NULL;
    char node[41] = "";
    long long count = -1;
    nx_hash nar;
    nx_buf out = { 0 };
    bool ok = !bad;
    if (bad) err = bad;
    const char *local = strncmp(full, "file://", 7) == 0 ? full + 7 : NULL;
    bool dirty = false;
    if (ok && ref) {
        /* CppNix's refRegex: no leading '.', '-' or '/', no "..", none of ' ~^:?*[\'. */
        bool good = ref[0] && ref[0] != '.' && ref[0] != '-' && ref[0] != '/' && !strstr(ref, "..");
        for (const char *c = ref; good && *c; c++)
            if (*c <= ' ' || strchr("~^:?*[\\", *c)) good = false;
        if (!good) {
            err = fmt("invalid Mercurial branch/tag name '%s'", ref);
            ok = false;
        }
    }
    if (ok && local && !rev && !ref) {
        char *hgdir = fmt("%s/.hg", local);
        if (exists(hgdir)) {
            ok = hg(&out, &err, "status", "-R", local, "--modified", "--added", "--removed", NULL, NULL);
            dirty = ok && out.len > 0;
            nx_buf_free(&out);
        }
        free(hgdir);
    }
    if (ok && dirty) {
        fprintf(stderr, "warning: Mercurial tree '%s' is unclean\n", local);
        ok = hg(&out, &err, "branch", "-R", local, NULL, NULL, NULL, NULL, NULL);
        if (ok) branch = first_line(&out);
        if (ok) ok = hg(&out, &err, "status", "-R", local, "--clean", "--modified", "--added", "--no-status", "--print0");
        hg_filter hf = { strlen(local), { 0 } };
        for (size_t i = 0; ok && i < out.len;) {
            size_t l = strnlen(out.data + i, out.len - i);
            hf.files.v = nx_xrealloc(hf.files.v, (hf.files.n + 1) * sizeof *hf.files.v);
            hf.files.v[hf.files.n++] = nx_xstrndup(out.data + i, l);
            i += l + 1;
        }
        nx_buf_free(&out);
        if (hf.files.n) qsort(hf.files.v, hf.files.n, sizeof *hf.files.v, cmp_str);
        if (ok) ok = nx_nar_hash_filtered(local, NX_HASH_SHA256, hg_keep, &hf, &nar, &err);
        /* A copy of the tracked files, so that the tree can be read. */
        if (ok) {
            char *hex = hash_text(&nar, NX_HASH_BASE16, false);
            tree = fmt("%s/hg-tree/dirty-%s", nx_fetch_cache_dir(), hex);
            free(hex);
            if (!exists(tree)) {
                char *tmp = fmt("%s.tmp%d", tree, (int)getpid());
                nx_fetch_rmtree(tmp);
                ok = nx_fetch_mkdirs(tmp, &err);
                for (size_t i = 0; ok && i < hf.files.n; i++) {
                    const char *argv[] = { "cp", "-P", "--parents", "--preserve=mode", hf.files.v[i], tmp, NULL };
                    ok = nx_fetch_run(argv, local, NULL, &err);
                }
                if (ok && rename(tmp, tree) != 0) {
                    err = fmt("renaming '%s' to '%s': %s", tmp, tree, strerror(errno));
                    ok = false;
                }
                nx_fetch_rmtree(tmp);
                free(tmp);
            }
        }
        for (size_t i = 0; i < hf.files.n; i++) free(hf.files.v[i]);
        free(hf.files.v);
    } else if (ok) {
        char key[53];
        const char *parts[] = { "hg", full };
        nx_fetch_key(key, parts, 2);
        cache = fmt("%s/hg/%s", nx_fetch_cache_dir(), key);
        const char *src = local ? local : full;
        char *hgdir = fmt("%s/.hg", cache);
        bool have = exists(hgdir);
        free(hgdir);
        /* A given revision already in the clone needs no pull. */
        bool need = true;
        if (have && rev) {
            char *e2 = NULL;
            const char *argv[] = { "hg", "log", "-R", cache, "-r", rev, "--template", "1", NULL };
            setenv("HGPLAIN", "", 1);
            need = !(nx_fetch_run(argv, NULL, &out, &e2) && out.len == 1 && out.data[0] == '1');
            free(e2);
            nx_buf_free(&out);
        }
        if (need) {
            if (have) ok = hg(NULL, &err, "pull", "-q", "-R", cache, "--", src, NULL, NULL);
            else ok = nx_fetch_mkdirs(cache, &err) && (nx_fetch_rmtree(cache), true)
                      && hg(NULL, &err, "clone", "-q", "--noupdate", "--", src, cache, NULL, NULL);
        }
        if (ok) ok = hg(&out, &err, "log", "-R", cache, "-r", rev ? rev : ref ? ref : "default", "--template",
                        "{node} {rev} {branch}", NULL);
        if (ok) {
            char *line = first_line(&out);
            char *sp = strchr(line, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
            if (!sp || !sp2 || sp - line != 40) {
                err = fmt("unexpected output of hg log: '%s'", line);
                ok = false;
            } else {
                memcpy(node, line, 40);
                count = strtoll(sp + 1, NULL, 10);
                branch = fmt("%s", sp2 + 1);
            }
            free(line);
        }
        if (ok) {
            tree = fmt("%s/hg-tree/%s", nx_fetch_cache_dir(), node);
            char *infop = fmt("%s.info", tree);
            nx_fetch_info info = { 0 };
            if (!nx_fetch_info_read(infop, &info) || !exists(tree)) {
                char *tmp = fmt("%s.tmp%d", tree, (int)getpid());
                nx_fetch_rmtree(tmp);
                ok = hg(NULL, &err, "archive", "-R", cache, "-r", node, tmp, NULL, NULL);
                if (ok) {
                    char *arch = fmt("%s/.hg_archival.txt", tmp);
                    unlink(arch);
                    free(arch);
                    nx_fetch_rmtree(tree);
                    if (rename(tmp, tree) != 0) {
                        err = fmt("renaming '%s' to '%s': %s", tmp, tree, strerror(errno));
                        ok = false;
                    }
                }
                nx_fetch_rmtree(tmp);
                free(tmp);
                if (ok) ok = nx_nar_hash(tree, NX_HASH_SHA256, &nar, &err);
                if (ok) {
                    char *hex = hash_text(&nar, NX_HASH_BASE16, false);
                    nx_fetch_info_set(&info, "narHash", hex);
                    nx_fetch_info_write(infop, &info);
                    free(hex);
                }
            } else {
                const char *nh = nx_fetch_info_get(&info, "narHash");
                int badc;
                nar.algo = NX_HASH_SHA256;
                nar.len = 32;
                if (!nh || nx_base16_decode(nar.b, sizeof nar.b, nh, strlen(nh), &badc) != 32) {
                    err = fmt("corrupt cache entry '%s'", infop);
                    ok = false;
                }
            }
            nx_fetch_info_free(&info);
            free(infop);
        }
    }
    if (ok) {
        store_path = nx_store_fixed_path(name, true, &nar);
        nx_store_register_real(store_path, tree);
    }
    free(url), free(rev), free(ref), free(name), free(full), free(cache), free(tree);
    if (!ok) {
        free(branch);
        return fail_msg(vm, err);
    }
    nx_attrs *r = nx_alloc_attrs(5);
    r->h.aux = 0;
    put_attr(r, "outPath", store_path_value(store_path));
    put_attr(r, "branch", nx_mk_cstring(branch));
    const char *rv = node[0] ? node : "0000000000000000000000000000000000000000";
    put_attr(r, "rev", nx_mk_cstring(rv));
    put_attr(r, "shortRev", nx_mk_string(rv, 12, NULL));
    if (count >= 0) put_attr(r, "revCount", nx_mk_int(count));
    nx_attrs_sort(r);
    free(store_path);
    free(branch);
    RETURN_VALUE(nx_from_obj(r));
}

static const nx_builtin table[] = {
    { "fetchurl", 1, 1, 0, false, step_fetchurl },
    { "fetchTarball", 1, 1, 0, false, step_fetchTarball },
    { "fetchGit", 1, 1, 0, false, step_fetchGit },
    { "fetchTree", 1, 1, 0, false, step_fetchTree },
    { "fetchMercurial", 1, 1, 0, false, step_fetchMercurial },
};

const nx_builtin_table nx_builtins_fetch = { table, NX_ARRAY_LEN(table) };
