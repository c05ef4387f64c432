/* arena.h — bump allocation for objects that live as long as their owner
 * (AST nodes of a parse, compiled code).  Not for the Nix heap. */
#ifndef NX_ARENA_H
#define NX_ARENA_H

#include "vm/common.h"

typedef struct nx_arena_chunk nx_arena_chunk;

typedef struct nx_arena {
    nx_arena_chunk *head;
    char *ptr, *end;
    size_t total;          /* bytes handed out, for statistics */
    size_t expect;         /* bytes the owner expects to allocate (a hint) */
} nx_arena;

void nx_arena_init(nx_arena *a);
void nx_arena_free(nx_arena *a);
/* Hints that about n bytes will be allocated: the next chunks are made
 * larger (up to the 2 MiB huge-page chunks) instead of doubling from
 * 64 KiB. Allocates nothing. */
static inline void nx_arena_expect(nx_arena *a, size_t n) { a->expect = n; }
/* Returns 8-byte aligned (enough for every AST field: pointers, int64,
 * double), uninitialised memory; never NULL. */
void *nx_arena_alloc_slow(nx_arena *a, size_t n);

static inline void *nx_arena_alloc(nx_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (NX_LIKELY((size_t)(a->end - a->ptr) >= n)) {
        void *p = a->ptr;
        a->ptr += n;
        a->total += n;
        return p;
    }
    return nx_arena_alloc_slow(a, n);
}

void *nx_arena_zalloc(nx_arena *a, size_t n);
char *nx_arena_strndup(nx_arena *a, const char *s, size_t n);
/* Grow an arena-allocated array: copies the old contents into new space. */
void *nx_arena_grow(nx_arena *a, void *old, size_t old_bytes, size_t new_bytes);

#endif
