/* fetch_io.c — cache directory, libcurl downloads and subprocesses for the
 * fetchers (see fetch_io.h).  Nothing here evaluates Nix or touches the
 * heap; the builtins in fetch.c call it inside one step. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm/builtins/fetch_io.h"
#include "vm/store/hash.h"
#include "vm/store/path.h"

extern char **environ;

static char *msg(const char *fmt, ...) NX_PRINTF(1, 2);
static char *msg(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) nx_out_of_memory();
    va_end(ap);
    return s;
}

const char *nx_fetch_cache_dir(void)
{
    static char *dir;
    if (dir) return dir;
    const char *e = getenv("NIXE_CACHE_DIR");
    if (e && *e) return dir = nx_xstrndup(e, strlen(e));
    e = getenv("XDG_CACHE_HOME");
    if (e && *e) return dir = msg("%s/nixe", e);
    e = getenv("HOME");
    return dir = msg("%s/.cache/nixe", e && *e ? e : "/tmp");
}

long nx_fetch_ttl(void)
{
    const char *e = getenv("NIXE_TARBALL_TTL");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (!*end && v >= 0) return v;
    }
    return 3600;
}

bool nx_fetch_mkdirs(const char *path, char **err)
{
    char *p = nx_xstrndup(path, strlen(path));
    for (char *s = p + 1;; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                *err = msg("creating directory '%s': %s", p, strerror(errno));
                free(p);
                return false;
            }
            *s = c;
            if (!c) break;
        }
    }
    free(p);
    return true;
}

/* Bounded by the file system's depth (not Nix evaluation). */
void nx_fetch_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0755);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                char *c = msg("%s/%s", path, de->d_name);
                nx_fetch_rmtree(c);
                free(c);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

time_t nx_fetch_max_mtime(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return 0;
    time_t m = st.st_mtime;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                char *c = msg("%s/%s", path, de->d_name);
                time_t t = nx_fetch_max_mtime(c);
                if (t > m) m = t;
                free(c);
            }
            closedir(d);
        }
    }
    return m;
}

void nx_fetch_key(char out[53], const char *const *parts, size_t n)
{
    nx_hash_ctx c;
    nx_hash_init(&c, NX_HASH_SHA256);
    for (size_t i = 0; i < n; i++) nx_hash_update(&c, parts[i], strlen(parts[i]) + 1);
    nx_hash h;
    nx_hash_final(&c, &h);
    nx_nix32_encode(out, h.b, h.len);
}

int nx_fetch_exit_status;

/* ---- fetched store paths -------------------------------------------- */

/* store path -> cache path; a handful per evaluation, searched linearly. */
static struct { char *store, *real; size_t n; } *reals;
static size_t nreals;

void nx_store_register_real(const char *store_path, const char *real)
{
    struct stat st;
    if (lstat(store_path, &st) == 0) return; /* really in the store */
    for (size_t i = 0; i < nreals; i++)
        if (strcmp(reals[i].store, store_path) == 0) {
            free(reals[i].real);
            reals[i].real = nx_xstrndup(real, strlen(real));
            return;
        }
    reals = nx_xrealloc(reals, (nreals + 1) * sizeof *reals);
    reals[nreals].store = nx_xstrndup(store_path, strlen(store_path));
    reals[nreals].real = nx_xstrndup(real, strlen(real));
    reals[nreals].n = strlen(store_path);
    nreals++;
}

const char *nx_store_real_path(const char *path, char *buf, size_t cap)
{
    for (size_t i = 0; i < nreals; i++) {
        size_t n = reals[i].n;
        if (strncmp(path, reals[i].store, n) == 0 && (path[n] == 0 || path[n] == '/')) {
            int w = snprintf(buf, cap, "%s%s", reals[i].real, path + n);
            return w >= 0 && (size_t)w < cap ? buf : path;
        }
    }
    return path;
}

/* ---- HTTP ------------------------------------------------------------- */

typedef struct dl {
    FILE *fp;
    nx_buf body;       /* the start of the body, for an error message */
    char *etag;
} dl;

static size_t on_data(char *p, size_t size, size_t n, void *cx)
{
    dl *d = cx;
    size_t len = size * n;
    if (d->body.len < 4096) nx_buf_add(&d->body, p, len < 4096 ? len : 4096);
    return d->fp && fwrite(p, 1, len, d->fp) != len ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *cx)
{
    dl *d = cx;
    size_t len = size * n;
    if (len > 5 && strncasecmp(p, "etag:", 5) == 0) {
        const char *v = p + 5;
        while (*v == ' ' || *v == '\t') v++;
        size_t l = len - (size_t)(v - p);
        while (l && (v[l - 1] == '\r' || v[l - 1] == '\n' || v[l - 1] == ' ')) l--;
        free(d->etag);
        d->etag = nx_xstrndup(v, l);
    }
    /* A new response (after a redirect) starts with its status line. */
    if (len > 5 && strncmp(p, "HTTP/", 5) == 0) d->body.len = 0;
    return len;
}

/* libcurl is loaded with dlopen on the first download, not linked: it and
 * the ~30 shared objects it depends on (TLS, Kerberos, LDAP, ...) would
 * otherwise be mapped and relocated at every start of nixe, which costs
 * more than parsing a large file (docs/benchmarks.md, parse section). The
 * headers still come from libcurl4-openssl-dev; NX_CURL_SONAME (configure)
 * names the library that libcurl.so points to. */
#ifndef NX_CURL_SONAME
#define NX_CURL_SONAME "libcurl.so.4"
#endif

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} cu;

/* Loads libcurl and initialises it once. Returns NULL on success, or an
 * error message (static storage) when the library cannot be loaded. */
static const char *curl_load(void)
{
    static bool done;
    static const char *fail;
    if (done) return fail;
    done = true;
    void *h = dlopen(NX_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) return fail = "cannot load libcurl (" NX_CURL_SONAME "; Debian package libcurl4)";
#define NX_CURL_SYM(field, name) \
    if (!(*(void **)&cu.field = dlsym(h, name))) return fail = "libcurl (" NX_CURL_SONAME ") lacks " name
    NX_CURL_SYM(global_init, "curl_global_init");
    NX_CURL_SYM(easy_init, "curl_easy_init");
    NX_CURL_SYM(easy_setopt, "curl_easy_setopt");
    NX_CURL_SYM(easy_perform, "curl_easy_perform");
    NX_CURL_SYM(easy_getinfo, "curl_easy_getinfo");
    NX_CURL_SYM(easy_cleanup, "curl_easy_cleanup");
    NX_CURL_SYM(easy_strerror, "curl_easy_strerror");
    NX_CURL_SYM(slist_append, "curl_slist_append");
    NX_CURL_SYM(slist_free_all, "curl_slist_free_all");
#undef NX_CURL_SYM
    cu.global_init(CURL_GLOBAL_DEFAULT);
    return NULL;
}

bool nx_fetch_http(const char *url, const char *dest, const char *etag, bool *not_modified, char **etag_out,
                   char **err)
{
    const char *lerr = curl_load();
    if (lerr) {
        *err = msg("unable to download '%s': %s", url, lerr);
        return false;
    }
    *not_modified = false;
    *etag_out = NULL;
    FILE *fp = fopen(dest, "wb");
    if (!fp) {
        *err = msg("creating file '%s': %s", dest, strerror(errno));
        return false;
    }
    dl d = { fp, { 0 }, NULL };
    CURL *c = cu.easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    if (etag && *etag) {
        char *h = msg("If-None-Match: %s", etag);
        hdrs = cu.slist_append(hdrs, h);
        free(h);
    }
    cu.easy_setopt(c, CURLOPT_URL, url);
    cu.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    cu.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    cu.easy_setopt(c, CURLOPT_USERAGENT, "curl/" LIBCURL_VERSION " Nix/2.28.0 nixe");
    cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    cu.easy_setopt(c, CURLOPT_WRITEDATA, &d);
    cu.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    cu.easy_setopt(c, CURLOPT_HEADERDATA, &d);
    cu.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    /* Give up on a stalled transfer (CppNix: stalled-download-timeout). */
    cu.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    cu.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 300L);
    cu.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    if (hdrs) cu.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    /* The error body goes to d.body, not to the file: buffer then decide. */
    CURLcode rc = cu.easy_perform(c);
    long status = 0;
    cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    cu.easy_cleanup(c);
    cu.slist_free_all(hdrs);
    bool ok = fclose(fp) == 0;
    bool is_http = strncmp(url, "http", 4) == 0;
    if (rc == CURLE_OK && status == 304) {
        *not_modified = true;
        free(d.etag);
        nx_buf_free(&d.body);
        return true;
    }
    if (rc == CURLE_OK && (!is_http || (status >= 200 && status < 300)) && ok) {
        *etag_out = d.etag;
        nx_buf_free(&d.body);
        return true;
    }
    nx_buf m = { 0 };
    if (rc == CURLE_OK && is_http && status >= 300) {
        nx_buf_printf(&m, "unable to download '%s': HTTP error %ld", url, status);
        if (d.body.len) {
            while (d.body.len && (d.body.data[d.body.len - 1] == '\n' || d.body.data[d.body.len - 1] == '\r'))
                d.body.len--;
            nx_buf_printf(&m, "\n\nresponse body:\n\n%.*s", (int)d.body.len, d.body.data);
        }
    } else if (rc == CURLE_OK) {
        nx_buf_printf(&m, "writing '%s': %s", dest, strerror(errno));
    } else {
        nx_buf_printf(&m, "unable to download '%s': %s (%d)", url, cu.easy_strerror(rc), (int)rc);
        if (*errbuf) nx_buf_printf(&m, " %s", errbuf);
    }
    free(d.etag);
    nx_buf_free(&d.body);
    unlink(dest);
    *err = m.data;
    return false;
}

/* ---- subprocesses ----------------------------------------------------- */

bool nx_fetch_run(const char *const *argv, const char *dir, nx_buf *out, char **err)
{
    char errname[] = "/tmp/nixe-fetch-err-XXXXXX", outname[] = "/tmp/nixe-fetch-out-XXXXXX";
    int efd = mkstemp(errname), ofd = out ? mkstemp(outname) : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (efd < 0 || ofd < 0) {
        *err = msg("creating a temporary file: %s", strerror(errno));
        if (efd >= 0) close(efd), unlink(errname);
        if (ofd >= 0) close(ofd);
        return false;
    }
    unlink(errname);
    if (out) unlink(outname);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    /* posix_spawn has no portable chdir before glibc 2.29's _np: go
     * through `env -C DIR` (coreutils) when a directory is given. */
    const char *args[64];
    size_t k = 0;
    if (dir) {
        args[k++] = "env";
        args[k++] = "-C";
        args[k++] = dir;
    }
    for (size_t i = 0; argv[i] && k < NX_ARRAY_LEN(args) - 1; i++) args[k++] = argv[i];
    args[k] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, args[0], &fa, NULL, (char *const *)args, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (rc == 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    }
    bool ok = rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (out) {
        lseek(ofd, 0, SEEK_SET);
        char buf[65536];
        ssize_t n;
        while ((n = read(ofd, buf, sizeof buf)) > 0) nx_buf_add(out, buf, (size_t)n);
    }
    if (!ok) {
        nx_buf m = { 0 };
        if (rc != 0) nx_buf_printf(&m, "cannot run '%s': %s", argv[0], strerror(rc));
        else {
            nx_buf_printf(&m, "program '%s' ", argv[0]);
            if (WIFEXITED(status)) nx_buf_printf(&m, "failed with exit code %d", WEXITSTATUS(status));
            else nx_buf_printf(&m, "was killed by signal %d", WTERMSIG(status));
            lseek(efd, 0, SEEK_SET);
            char buf[2048];
            ssize_t n = read(efd, buf, sizeof buf - 1);
            if (n > 0) {
                while (n && (buf[n - 1] == '\n')) n--;
                nx_buf_printf(&m, "\n%.*s", (int)n, buf);
            }
        }
        *err = m.data;
    }
    close(ofd);
    close(efd);
    return ok;
}

/* ---- metadata files ---------------------------------------------------- */

bool nx_fetch_info_read(const char *path, nx_fetch_info *info)
{
    info->n = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) return false;
    char line[8192];
    while (fgets(line, sizeof line, fp) && info->n < 16) {
        size_t l = strlen(line);
        if (l && line[l - 1] == '\n') line[--l] = 0;
        char *sp = strchr(line, ' ');
        if (!sp) continue;
        info->key[info->n] = nx_xstrndup(line, (size_t)(sp - line));
        info->val[info->n] = nx_xstrndup(sp + 1, strlen(sp + 1));
        info->n++;
    }
    fclose(fp);
    return true;
}

/* Written to a temporary file and renamed: readers never see half a file. */
bool nx_fetch_info_write(const char *path, const nx_fetch_info *info)
{
    char *tmp = msg("%s.tmp%d", path, (int)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        free(tmp);
        return false;
    }
    for (int i = 0; i < info->n; i++) fprintf(fp, "%s %s\n", info->key[i], info->val[i]);
    bool ok = fclose(fp) == 0 && rename(tmp, path) == 0;
    free(tmp);
    return ok;
}

const char *nx_fetch_info_get(const nx_fetch_info *info, const char *key)
{
    for (int i = 0; i < info->n; i++)
        if (strcmp(info->key[i], key) == 0) return info->val[i];
    return NULL;
}

void nx_fetch_info_set(nx_fetch_info *info, const char *key, const char *val)
{
    for (int i = 0; i < info->n; i++)
        if (strcmp(info->key[i], key) == 0) {
            free(info->val[i]);
            info->val[i] = nx_xstrndup(val, strlen(val));
            return;
        }
    if (info->n == 16) return;
    info->key[info->n] = nx_xstrndup(key, strlen(key));
    info->val[info->n++] = nx_xstrndup(val, strlen(val));
}

void nx_fetch_info_free(nx_fetch_info *info)
{
    for (int i = 0; i < info->n; i++) {
        free(info->key[i]);
        free(info->val[i]);
    }
    info->n = 0;
}
