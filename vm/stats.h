/* stats.h — evaluation counters and NIX_SHOW_STATS output.
 *
 * The counters are plain globals bumped on the paths they count (one add
 * each, no branch); vm/stats.c prints them as JSON with CppNix's keys. */
#ifndef NX_STATS_H
#define NX_STATS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct nx_counters {
    uint64_t thunks;          /* thunks made (nrThunks) */
    uint64_t calls;           /* lambda calls (nrFunctionCalls) */
    uint64_t primop_calls;    /* saturated builtin calls (nrPrimOpCalls) */
    uint64_t lookups;         /* `with` lookups (nrLookups) */
    uint64_t envs, env_slots; /* environments and their slots */
    uint64_t lists, list_elems, list_concats;
    uint64_t sets, set_elems;
    uint64_t updates, update_copied; /* `//` (nrOpUpdates, ...ValuesCopied) */
    uint64_t values, value_bytes;    /* other heap objects (strings, numbers, closures, ...) */
    uint64_t avoided;         /* lazy positions filled without a thunk (nrAvoided) */
} nx_counters;

extern nx_counters nx_count;

/* NIX_COUNT_CALLS: per-builtin call counts (lambdas count in nx_code). */
extern bool nx_count_calls;
struct nx_builtin;
void nx_count_primop(const struct nx_builtin *b);

/* Symbol table size (vm/symbol.c). */
void nx_sym_stats(uint64_t *number, uint64_t *bytes);

/* Reads NIX_COUNT_CALLS; call before evaluating. */
void nx_stats_init(void);

/* If NIX_SHOW_STATS is set (and not "0"), writes the statistics as JSON to
 * NIX_SHOW_STATS_PATH, or to standard error. */
void nx_stats_maybe_print(void);

#endif
