/* arena.c — chunked bump allocator. */
#include "vm/arena.h"

#include <stdlib.h>
#include <string.h>

struct nx_arena_chunk {
    nx_arena_chunk *next;
    size_t size;
    _Alignas(16) char data[];
};

#define NX_ARENA_CHUNK (64 * 1024)

void nx_arena_init(nx_arena *a) { memset(a, 0, sizeof *a); }

void nx_arena_free(nx_arena *a)
{
    nx_arena_chunk *c = a->head;
    while (c) {
        nx_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

void *nx_arena_alloc_slow(nx_arena *a, size_t n)
{
    size_t size = n > NX_ARENA_CHUNK / 4 ? n : NX_ARENA_CHUNK;
    nx_arena_chunk *c = nx_xmalloc(sizeof *c + size);
    c->size = size;
    c->next = a->head;
    a->head = c;
    a->total += n;
    if (size == n && a->ptr) {
        /* A large block gets its own chunk; keep bumping the current one. */
        return c->data;
    }
    a->ptr = c->data + n;
    a->end = c->data + size;
    return c->data;
}

void *nx_arena_zalloc(nx_arena *a, size_t n)
{
    void *p = nx_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *nx_arena_strndup(nx_arena *a, const char *s, size_t n)
{
    char *p = nx_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void *nx_arena_grow(nx_arena *a, void *old, size_t old_bytes, size_t new_bytes)
{
    void *p = nx_arena_alloc(a, new_bytes);
    if (old_bytes) memcpy(p, old, old_bytes);
    return p;
}
