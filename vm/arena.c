/* arena.c — chunked bump allocator.
 *
 * Chunks grow geometrically, from 64 KiB to NX_ARENA_BIG (2 MiB): a small
 * parse costs one or two malloc'd chunks, while a large one (melpa-
 * generated.nix makes a 14 MB tree) gets 2 MiB chunks that are mapped
 * directly, aligned to 2 MiB, and advised as transparent huge pages. The
 * kernel then fills each with one fault instead of 512 (page faults on
 * fresh arena memory were the largest kernel cost of `nixe --parse`, see
 * docs/benchmarks.md). Where huge pages are off, such a chunk is faulted in
 * 4 KiB at a time like any other memory. */
#include "vm/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct nx_arena_chunk {
    nx_arena_chunk *next;
    size_t size;           /* usable bytes in data */
    size_t mapped;         /* bytes mapped with mmap (whole chunk), or 0 if malloc'd */
    _Alignas(16) char data[];
};

#define NX_ARENA_CHUNK (64 * 1024)
#define NX_ARENA_BIG (2 * 1024 * 1024)

void nx_arena_init(nx_arena *a) { memset(a, 0, sizeof *a); }

static void chunk_free(nx_arena_chunk *c)
{
    if (c->mapped) munmap(c, c->mapped);
    else free(c);
}

void nx_arena_free(nx_arena *a)
{
    nx_arena_chunk *c = a->head;
    while (c) {
        nx_arena_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

/* A 2 MiB-aligned mapping of NX_ARENA_BIG bytes advised as huge pages, or
 * NULL when mmap fails (the caller then uses malloc). */
static nx_arena_chunk *map_big(void)
{
    size_t want = NX_ARENA_BIG + NX_ARENA_BIG;
    char *raw = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)raw + NX_ARENA_BIG - 1) & ~(uintptr_t)(NX_ARENA_BIG - 1));
    if (p > raw) munmap(raw, (size_t)(p - raw));
    size_t tail = (size_t)(raw + want - (p + NX_ARENA_BIG));
    if (tail) munmap(p + NX_ARENA_BIG, tail);
#ifdef MADV_HUGEPAGE
    madvise(p, NX_ARENA_BIG, MADV_HUGEPAGE);
#endif
    nx_arena_chunk *c = (nx_arena_chunk *)p;
    c->mapped = NX_ARENA_BIG;
    c->size = NX_ARENA_BIG - sizeof *c;
    return c;
}

void *nx_arena_alloc_slow(nx_arena *a, size_t n)
{
    if (n > NX_ARENA_CHUNK / 4) {
        /* A large block gets its own chunk; keep bumping the current one. */
        nx_arena_chunk *c = nx_xmalloc(sizeof *c + n);
        c->size = n;
        c->mapped = 0;
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = NULL;
            a->head = c;
        }
        a->total += n;
        return c->data;
    }
    /* The next chunk doubles the last one's size, up to NX_ARENA_BIG. */
    size_t last = a->head ? a->head->size + sizeof *a->head : 0;
    size_t size = last >= NX_ARENA_CHUNK ? last * 2 : NX_ARENA_CHUNK;
    while (size < NX_ARENA_BIG && size < a->expect) size *= 2;
    nx_arena_chunk *c = NULL;
    if (size >= NX_ARENA_BIG) c = map_big();
    if (!c) {
        if (size > NX_ARENA_BIG) size = NX_ARENA_BIG;
        c = nx_xmalloc(size);
        c->mapped = 0;
        c->size = size - sizeof *c;
    }
    c->next = a->head;
    a->head = c;
    a->total += n;
    a->ptr = c->data + n;
    a->end = c->data + c->size;
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
