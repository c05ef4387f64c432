/* symbol.c — open-addressing intern table.  Names are stored in chunks
 * that never move, so nx_sym_str pointers stay valid for the process. */
#include "vm/symbol.h"

#include <stdlib.h>
#include <string.h>

#include "vm/arena.h"
#include "vm/stats.h"

typedef struct {
    const char *str;
    uint32_t len;
    uint32_t hash;
    uint32_t birth;         /* see nx_sym_birth */
} sym_entry;

static struct {
    sym_entry *entries;     /* indexed by symbol id; entries[0] unused */
    uint32_t count, cap;
    uint32_t *slots;        /* hash slots holding ids, 0 = empty */
    uint32_t nslots;        /* power of two */
    nx_arena strings;
    uint32_t births;
} tab;

void nx_sym_stats(uint64_t *number, uint64_t *bytes)
{
    *number = tab.count ? tab.count - 1 : 0;
    *bytes = 0;
    for (uint32_t id = 1; id < tab.count; id++) *bytes += nx_sym_len(id);
}

uint64_t nx_hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, 64-bit; good enough for identifiers and fast on short keys. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 29);
}

static void rehash(uint32_t nslots)
{
    uint32_t *slots = nx_xcalloc(nslots, sizeof *slots);
    for (uint32_t id = 1; id < tab.count; id++) {
        uint32_t i = tab.entries[id].hash & (nslots - 1);
        while (slots[i]) i = (i + 1) & (nslots - 1);
        slots[i] = id;
    }
    free(tab.slots);
    tab.slots = slots;
    tab.nslots = nslots;
}

static nx_sym find(const char *s, size_t n, uint32_t h, uint32_t *slot)
{
    uint32_t mask = tab.nslots - 1;
    uint32_t i = h & mask;
    for (;;) {
        uint32_t id = tab.slots[i];
        if (!id) {
            *slot = i;
            return NX_SYM_NONE;
        }
        sym_entry *e = &tab.entries[id];
        if (e->hash == h && e->len == n && memcmp(e->str, s, n) == 0) return id;
        i = (i + 1) & mask;
    }
}

static void init_once(void)
{
    if (tab.slots) return;
    tab.cap = 1024;
    tab.entries = nx_xmalloc(tab.cap * sizeof *tab.entries);
    tab.count = 1;
    tab.entries[0] = (sym_entry){ "", 0, 0, 0 };
    nx_arena_init(&tab.strings);
    rehash(2048);
}

nx_sym nx_sym_lookup(const char *s, size_t n)
{
    init_once();
    uint32_t slot;
    return find(s, n, (uint32_t)nx_hash_bytes(s, n), &slot);
}

nx_sym nx_sym_intern(const char *s, size_t n)
{
    init_once();
    uint32_t h = (uint32_t)nx_hash_bytes(s, n), slot;
    nx_sym id = find(s, n, h, &slot);
    if (id) return id;
    if (n > UINT32_MAX) nx_out_of_memory();
    if (tab.count == tab.cap) {
        tab.cap *= 2;
        tab.entries = nx_xrealloc(tab.entries, tab.cap * sizeof *tab.entries);
    }
    id = tab.count++;
    tab.entries[id] = (sym_entry){ nx_arena_strndup(&tab.strings, s, n), (uint32_t)n, h, 0 };
    tab.slots[slot] = id;
    if (tab.count * 2 > tab.nslots) rehash(tab.nslots * 2);
    return id;
}

nx_sym nx_sym_intern_cstr(const char *s) { return nx_sym_intern(s, strlen(s)); }

const char *nx_sym_str(nx_sym s) { return tab.entries[s].str; }
size_t nx_sym_len(nx_sym s) { return tab.entries[s].len; }

int nx_sym_cmp(nx_sym a, nx_sym b)
{
    if (a == b) return 0;
    const sym_entry *x = &tab.entries[a], *y = &tab.entries[b];
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->str, y->str, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

void nx_sym_mark_born(nx_sym s)
{
    if (s && !tab.entries[s].birth) tab.entries[s].birth = ++tab.births;
}

uint32_t nx_sym_birth(nx_sym s) { return tab.entries[s].birth; }
