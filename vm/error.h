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

#include <stdarg.h>
#include <stdio.h>

#include "vm/common.h"

/* A source position: a source id and a byte offset in it (id 0 = none). */
typedef struct nx_pos {
    uint32_t src;
    uint32_t off;
} nx_pos;

#define NX_NOPOS ((nx_pos){ 0, 0 })

/* One "… while evaluating …" line of the trace: a message (it may span
 * lines) and an optional position.  `always` entries (addErrorContext,
 * derivations) survive CppNix's truncation of the short trace. */
typedef struct nx_trace {
    char *hint;
    nx_pos pos;
    bool always;
} nx_trace;

typedef struct nx_error {
    char *msg;
    nx_pos pos;
    char *hint;              /* "Did you mean …?" line, or NULL */
    /* The trace, innermost entry first (the order CppNix's addTrace sees
     * them while unwinding); printed outermost first. */
    nx_trace *traces;
    uint32_t ntraces, captraces;
    uint8_t traced;          /* NX_TRACED_*: how far vm/trace.c collected */
    uint8_t arg;             /* a builtin's type error: 1 + the argument's index, or 0 */
} nx_error;

/* nx_error.traced: not collected; collected down to an addErrorContext
 * frame that catches the error and rethrows it (collection goes on from
 * there); collected down to the driver. */
enum { NX_TRACED_NONE, NX_TRACED_PART, NX_TRACED_ALL };

/* Set by `--show-trace`: errors print their whole trace, and lambda calls
 * add their entries to it (vm/trace.c), as in modern CppNix. */
extern bool nx_show_trace;

/* Appends a trace entry (pos may be NX_NOPOS).  Allocates. */
void nx_error_add_trace(nx_error *e, nx_pos pos, bool always, const char *fmt, ...) NX_PRINTF(4, 5);

/* Sets e->hint to "Did you mean X?" / "Did you mean one of X, Y or Z?" for
 * the candidates closest to `want` (edit distance at most 2), if any. */
void nx_error_suggest(nx_error *e, const char *want, const char *const *candidates, size_t n);

void nx_error_set(nx_error *e, nx_pos pos, const char *fmt, ...) NX_PRINTF(3, 4);
/* nx_error_set with a va_list (messages of any length). */
void nx_error_vset(nx_error *e, nx_pos pos, const char *fmt, va_list ap);
/* The formatted text in a new malloc'ed string. */
char *nx_vformat(const char *fmt, va_list ap);
void nx_error_clear(nx_error *e);
/* Writes the error to f as modern CppNix's showErrorInfo: the trace
 * (all of it with `--show-trace`, nx_show_trace; otherwise its first
 * entries and a truncation note), then the message and its position. */
void nx_error_print(FILE *f, const nx_error *e);
/* Nix 2.8's layout (blank lines around "at FILE:L:C:", no trace), used by
 * `nixe --parse`, whose expectations come from `nix-instantiate --parse`
 * 2.8. */
void nx_error_print_28(FILE *f, const nx_error *e);
/* Modern CppNix's layout: the trace outermost first (repeated entries
 * folded as CppNix does), then "error: MSG" and its position.  Without
 * full_trace only the first entries are shown (entries with a position
 * count twice, `always` entries are kept) and a truncation note follows. */
void nx_error_print_modern(FILE *f, const nx_error *e, bool full_trace);

struct nx_vm;
/* Called by the unwinder (vm/exec.c) before it pops the frames of an
 * error: unless a tryEval frame will catch it, appends the trace the
 * frames stand for to vm->err (vm/trace.c), down to the driver or to an
 * addErrorContext frame that will catch it (called again when that frame
 * rethrows).  Allocates; error path only. */
void nx_trace_collect(struct nx_vm *vm);
/* Called by nx_force_deep (`--strict`) when forcing the slot `failed`
 * inside *root failed: appends the entries of modern CppNix's
 * forceValueDeep for the path to it ("while evaluating the attribute 'a'"
 * at a's position, "while evaluating list element at index N"), innermost
 * first.  Allocates; error path only. */
void nx_trace_deep(struct nx_vm *vm, uint64_t *root, uint64_t *failed);
/* Appends "FILE:LINE:COL" for pos (or "«none»") to b. */
void nx_pos_format(nx_buf *b, nx_pos pos);

#endif
