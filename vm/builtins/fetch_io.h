/* fetch_io.h — the I/O under the fetchers (vm/builtins/fetch_io.c): the
 * cache directory, HTTP downloads through libcurl, running commands
 * (tar, git) without a shell.  Plain C data only: no Nix values, so none
 * of this is seen by the collector.  Every function that can fail returns
 * false with a malloc'd message (CppNix's wording) in *err. */
#ifndef NX_BUILTINS_FETCH_IO_H
#define NX_BUILTINS_FETCH_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "vm/common.h"

/* The cache root: $NIXE_CACHE_DIR, else $XDG_CACHE_HOME/nixe, else
 * $HOME/.cache/nixe (static storage). */
const char *nx_fetch_cache_dir(void);

/* tarball-ttl in seconds: $NIXE_TARBALL_TTL (set by `--option
 * tarball-ttl N` / `--tarball-ttl N`), default 3600 as in CppNix. */
long nx_fetch_ttl(void);

/* mkdir -p; false with *err on failure. */
bool nx_fetch_mkdirs(const char *path, char **err);

/* rm -rf (best effort). */
void nx_fetch_rmtree(const char *path);

/* A cache key: nix32(sha256(parts joined by NUL)), 52 characters + NUL. */
void nx_fetch_key(char out[53], const char *const *parts, size_t n);

/* GET url into the file dest.  etag: the ETag of a cached copy (or NULL):
 * sent as If-None-Match; *not_modified is set when the server answers 304
 * (dest is then left alone).  *etag_out: the new ETag (malloc'd, or NULL).
 * Errors: "unable to download 'URL': HTTP error 404" (+ the response
 * body), "unable to download 'URL': Couldn't connect to server (7) …". */
bool nx_fetch_http(const char *url, const char *dest, const char *etag, bool *not_modified, char **etag_out,
                   char **err);

/* Runs argv[0] (searched in PATH) with the given arguments, cwd = dir
 * (NULL: unchanged), stdin from /dev/null, stdout into *out (NULL:
 * discarded) and stderr captured for the error message.  Returns false
 * if it cannot be run or exits non-zero. */
bool nx_fetch_run(const char *const *argv, const char *dir, nx_buf *out, char **err);

/* Key/value metadata files beside cached data: "key value\n" lines. */
typedef struct nx_fetch_info {
    char *key[16], *val[16];
    int n;
} nx_fetch_info;
bool nx_fetch_info_read(const char *path, nx_fetch_info *info);
bool nx_fetch_info_write(const char *path, const nx_fetch_info *info);
const char *nx_fetch_info_get(const nx_fetch_info *info, const char *key);
void nx_fetch_info_set(nx_fetch_info *info, const char *key, const char *val);
void nx_fetch_info_free(nx_fetch_info *info);

/* The exit status CppNix gives the last fetch error (102 for a hash
 * mismatch), 0 if none: the CLI exits with it instead of 1. */
extern int nx_fetch_exit_status;

/* Largest modification time of anything under path (lstat; 0 if none). */
time_t nx_fetch_max_mtime(const char *path);

/* A search path entry that is a URL (http, https, file…, or channel:NAME)
 * as modern CppNix resolves it: the tarball downloaded and unpacked
 * (cached as fetchTarball's), its store path "…-source" registered with
 * nx_store_register_real.  Returns the store path (malloc'd), or NULL
 * with *err set (vm/builtins/fetch.c). */
char *nx_fetch_search_entry(const char *url, char **err);

#endif
