/* drv.h — derivations: the ATerm text of a .drv, hashDerivationModulo,
 * output and .drv paths, and the evaluation-wide table of the store paths
 * nixe has computed (derivations with their modulo hashes and outputs,
 * text files with their references).  Everything here is C data: no Nix
 * values, nothing for the collector to trace. */
#ifndef NX_STORE_DRV_H
#define NX_STORE_DRV_H

#include "vm/store/hash.h"

/* An environment variable k: its value is kept only in its ATerm form,
 * esc = ("k","v") with quotes and escapes (keylen: the length of its
 * `("k"` part), made once by nx_drv_setenv rather than at each of the
 * three unparses of a derivation (scripts in env are long and full of
 * newlines). */
typedef struct nx_strpair { char *k, *esc; size_t esclen, keylen; } nx_strpair;

typedef struct nx_drv_input {
    char *path;            /* the input .drv */
    char **outputs;        /* sorted, unique */
    size_t noutputs;
} nx_drv_input;

typedef struct nx_drv_output {
    char *name;
    char *path;            /* "" while masked */
    char *hash_algo;       /* "" or "[r:]sha256" (fixed-output) */
    char *hash;            /* "" or base16 (fixed-output) */
} nx_drv_output;

typedef struct nx_drv {
    char *name;
    nx_drv_output *outputs; size_t noutputs;   /* sorted by name */
    nx_drv_input *inputs; size_t ninputs;      /* sorted by path */
    char **srcs; size_t nsrcs;                 /* sorted, unique */
    char *platform, *builder;
    char **args; size_t nargs;
    nx_strpair *env; size_t nenv;              /* sorted by key, unique */
} nx_drv;

/* Adds (or replaces) env[k] = v. */
void nx_drv_setenv(nx_drv *d, const char *k, const char *v);
void nx_drv_add_src(nx_drv *d, const char *path);
void nx_drv_add_input(nx_drv *d, const char *drv, const char *output);
void nx_drv_add_output(nx_drv *d, const char *name, const char *path, const char *algo, const char *hash);
/* Sorts and deduplicates everything (call before unparse). */
void nx_drv_normalise(nx_drv *d);
void nx_drv_free(nx_drv *d);

/* The ATerm form.  mask: output paths (and their env vars) as "";
 * replace: if non-NULL, the input derivation paths are replaced by
 * these strings (hashDerivationModulo's base16 hashes) and re-sorted.
 * Returns a malloc'd string, *len its length. */
char *nx_drv_unparse(const nx_drv *d, bool mask, char *const *replace, size_t *len);

/* Fills in the output paths of an input-addressed derivation (outputs
 * present, paths empty) and computes the .drv path; records the
 * derivation in the table.  Returns false with a malloc'd message if an
 * input derivation is unknown.  *drv_path is malloc'd. */
bool nx_drv_instantiate(nx_drv *d, char **drv_path, char **err);

/* The table of store paths computed in this evaluation. */
/* builtins.toFile: the path of a text file with these contents and
 * references (malloc'd), recorded with both.  nixe writes nothing to the
 * store, so import and readFile of such a path use the recorded text
 * (nx_store_text_file, NULL: not a toFile path of this evaluation).  The
 * same file made again is found without hashing its text again. */
char *nx_store_add_text(const char *name, const char *text, size_t len, char *const *refs, size_t nrefs);
const char *nx_store_text_file(const char *path);
/* The closure of a path (itself included) as known to nixe; derivations
 * are flagged.  Calls fn for each path; returns false if the path is not
 * known (nothing called). */
bool nx_store_closure(const char *path, void (*fn)(void *cx, const char *path, bool is_drv), void *cx);
/* The output names of a known derivation (NULL if unknown). */
char **nx_drv_output_names(const char *drv_path, size_t *n);

#endif
