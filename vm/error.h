/* error.h — error values and their printing in CppNix's shape:
 *
 *   error: MESSAGE
 *
 *          at FILE:LINE:COL:
 *
 *               L-1| previous line
 *                 L| the line
 *                  |    ^
 *               L+1| next line
 *
 * Errors are plain data passed back by return status; nothing longjmps. */
#ifndef NX_ERROR_H
#define NX_ERROR_H

#include <stdio.h>

#include "vm/common.h"

/* A source position: a source id and a byte offset in it (id 0 = none). */
typedef struct nx_pos {
    uint32_t src;
    uint32_t off;
} nx_pos;

#define NX_NOPOS ((nx_pos){ 0, 0 })

typedef struct nx_error {
    char *msg;
    nx_pos pos;
    char *hint;              /* "Did you mean …?" line, or NULL */
    char **traces;           /* builtins.addErrorContext messages, innermost first */
    uint32_t ntraces;
} nx_error;

/* Adds a trace line ("… MSG", printed above the message, outermost
 * first, as CppNix's TracePrint::Always traces).  Copies msg. */
void nx_error_add_trace(nx_error *e, const char *msg, size_t len);

/* Sets e->hint to "Did you mean X?" / "Did you mean one of X, Y or Z?" for
 * the candidates closest to `want` (edit distance at most 2), if any. */
void nx_error_suggest(nx_error *e, const char *want, const char *const *candidates, size_t n);

void nx_error_set(nx_error *e, nx_pos pos, const char *fmt, ...) NX_PRINTF(3, 4);
void nx_error_clear(nx_error *e);
/* Writes the error to f in CppNix's format. */
void nx_error_print(FILE *f, const nx_error *e);
/* Appends "FILE:LINE:COL" for pos (or "«none»") to b. */
void nx_pos_format(nx_buf *b, nx_pos pos);

#endif
