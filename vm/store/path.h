/* path.h — store paths as CppNix computes them (makeStorePath and
 * friends), NAR hashing of files, store path name validation. */
#ifndef NX_STORE_PATH_H
#define NX_STORE_PATH_H

#include "vm/store/hash.h"

/* Sorts n elements of `size` bytes, stably: insertion sort, linear on the
 * nearly sorted arrays a derivation's parts are (the environment is built
 * in attribute name order, references come sorted from contexts), with
 * qsort (glibc's merge sort, stable too) taking over once the elements
 * have moved more than a few places each on average.  Accepts n = 0 and
 * a NULL array. */
void nx_sort_nearly(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* The store directory: $NIX_STORE_DIR or /nix/store. */
const char *nx_store_dir(void);

/* CppNix's checkName: NULL if valid, else a malloc'd message
 * ("name '…' contains illegal character '…'"). */
char *nx_store_check_name(const char *name, size_t n);

/* makeStorePath: STOREDIR/HASH-NAME for the fingerprint
 * "type:sha256:<hex of h>:STOREDIR:NAME", compressed to 20 bytes and
 * nix-base32 encoded.  Returns a malloc'd string. */
char *nx_store_make_path(const char *type, const nx_hash *h, const char *name);

/* Text paths (toFile, .drv files): type "text" plus ":REF" for each of
 * the nrefs sorted reference paths. */
char *nx_store_text_path(const char *name, const char *contents, size_t n, char *const *refs, size_t nrefs);

/* Fixed-output paths: sha256 + recursive is a "source" path, anything
 * else is "output:out" over "fixed:out:[r:]ALGO:HEX:". */
char *nx_store_fixed_path(const char *name, bool recursive, const nx_hash *h);

/* NAR serialisation of a file system object streamed into a hash.
 * Returns false with a malloc'd message on an I/O error. */
bool nx_nar_hash(const char *path, int algo, nx_hash *out, char **err);
/* Same, leaving out every directory entry (and what is below it) whose
 * full path the filter rejects (builtins.path, filterSource). */
bool nx_nar_hash_filtered(const char *path, int algo, bool (*filter)(void *cx, const char *path), void *cx,
                          nx_hash *out, char **err);
/* Same into a byte sink (for tests): calls put for every chunk. */
bool nx_nar_dump(const char *path, void (*put)(void *cx, const void *p, size_t n), void *cx, char **err);

/* The string nix substitutes for an output at build time:
 * "/" + nix32(sha256("nix-output:" + name)); malloc'd. */
char *nx_store_placeholder(const char *output);

/* Fetched store paths are never written to the store: the fetchers
 * (vm/builtins/fetch.c) register where their data lives in the cache, and
 * reading a path at or below such a store path (import, readFile,
 * readDir, pathExists, readFileType, copying to the store) reads the
 * cached copy instead.  Returns path itself, or buf (cap bytes) holding
 * the cache path.  No-op when nothing was fetched. */
void nx_store_register_real(const char *store_path, const char *real);
const char *nx_store_real_path(const char *path, char *buf, size_t cap);

/* True if s is STOREDIR/HASH-NAME (something a context may name). */
bool nx_is_store_path(const char *s, size_t n);



/* The store path a local path would be copied to (source path of its
 * NAR hash, named after its last component); cached per path for the
 * evaluation.  NULL with a malloc'd message on error.  Owned by the cache. */
const char *nx_store_copy_path(const char *path, char **err);
#endif
