/* context.h — string contexts: building them while strings are made.
 *
 * An accumulator collects elements (or whole contexts) in C memory;
 * nx_ctx_finish turns it into an immutable NX_OBJ_CONTEXT heap object
 * (sorted, no duplicates) or NULL when empty.  When a single existing
 * context was added and nothing else, that object is reused. */
#ifndef NX_STORE_CONTEXT_H
#define NX_STORE_CONTEXT_H

#include <string.h>

#include "vm/value.h"

typedef struct nx_ctxacc {
    char **v;
    size_t n, cap;
    const nx_context *single; /* the only context added so far, if any */
    bool mixed;               /* more than `single` was added */
} nx_ctxacc;

void nx_ctx_add(nx_ctxacc *a, const char *s, size_t n);
void nx_ctx_add_all(nx_ctxacc *a, const nx_context *c);
/* Allocates (heap) and resets a; NULL when empty. */
const nx_context *nx_ctx_finish(nx_ctxacc *a);
void nx_ctx_free(nx_ctxacc *a);
/* Builds a context from an accumulator without consuming it. */
const nx_context *nx_ctx_make(nx_ctxacc *a);

/* Adds the contexts of every string inside v (forced parts only; a set
 * in t, the strings of sets with __toString (vm/print_value.h; NULL:
 * none), stands for its string, another set with outPath for its
 * outPath) and the store paths of its paths, as toJSON does.  Returns
 * false with a malloc'd message if a path cannot be hashed. */
struct nx_json_strs;
bool nx_ctx_collect_deep(nx_ctxacc *a, nx_value v, const struct nx_json_strs *t, char **err);

/* Iteration: for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) */
static inline const char *nx_ctx_first(const nx_context *c) { return c && c->h.aux ? c->data : NULL; }
static inline const char *nx_ctx_next(const nx_context *c, const char *e)
{
    e += strlen(e) + 1;
    return e < c->data + c->bytes ? e : NULL;
}

/* The context of a string value (NULL for non-strings). */
static inline const nx_context *nx_ctx_of(nx_value v)
{
    return nx_is_string(v) ? nx_str(v)->ctx : NULL;
}

#endif
