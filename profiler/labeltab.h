/* labeltab.h — the cache of frame labels shared by the profiler's report
 * (report.c: label ids) and the call tracer (calltrace.c: label texts):
 * an open-addressing table keyed by a frame's entry, its caller's entry
 * and a name, each slot a nx_label_head followed by the user's fields. */
#ifndef NX_PROFILER_LABELTAB_H
#define NX_PROFILER_LABELTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm/common.h"

typedef struct nx_label_head {
    uintptr_t a, b, c; /* the frame's entry, its caller's (or 0s) */
    uint32_t nm;       /* a name the label depends on (0: none) */
    bool used;
} nx_label_head;

typedef struct nx_label_tab {
    unsigned char *slots;
    size_t cap, used;
    size_t size; /* bytes per slot: the user's struct, starting with nx_label_head */
} nx_label_tab;

static inline uint64_t nx_label_mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static inline nx_label_head *nx_label_at(const nx_label_tab *t, size_t i)
{
    return (nx_label_head *)(t->slots + i * t->size);
}

static inline size_t nx_label_home(const nx_label_tab *t, const nx_label_head *k)
{
    return nx_label_mix(nx_label_mix(nx_label_mix(k->nm, k->a), k->b), k->c) & (t->cap - 1);
}

static inline void nx_label_grow(nx_label_tab *t)
{
    nx_label_tab old = *t;
    t->cap = t->cap ? t->cap * 2 : 1024;
    t->slots = nx_xcalloc(t->cap, t->size);
    for (size_t i = 0; i < old.cap; i++) {
        nx_label_head *s = nx_label_at(&old, i);
        if (!s->used) continue;
        size_t j = nx_label_home(t, s);
        while (nx_label_at(t, j)->used) j = (j + 1) & (t->cap - 1);
        memcpy(nx_label_at(t, j), s, t->size);
    }
    free(old.slots);
}

/* The slot of key k: the entry that holds it, or (used false) the free
 * slot where it goes, which the caller fills in (head included, used
 * true) and counts (t->used++).  The table grows first so that one more
 * entry keeps it at most half full. */
static inline nx_label_head *nx_label_lookup(nx_label_tab *t, nx_label_head k)
{
    if ((t->used + 1) * 2 > t->cap) nx_label_grow(t);
    for (size_t j = nx_label_home(t, &k);; j = (j + 1) & (t->cap - 1)) {
        nx_label_head *s = nx_label_at(t, j);
        if (!s->used || (s->a == k.a && s->b == k.b && s->c == k.c && s->nm == k.nm)) return s;
    }
}

static inline void nx_label_free(nx_label_tab *t)
{
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

#endif
