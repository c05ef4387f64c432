/* symbol.c — open-addressing intern table.  Names are stored in chunks
 * that never move, so nx_sym_str pointers stay valid for the process. */
#include "vm/symbol.h"

#include <stdlib.h>
#include <string.h>

#include "vm/arena.h"
#include "vm/heap.h"
#include "vm/stats.h"

typedef struct {
    const char *str;
    uint32_t len;
    uint32_t hash;
    uint32_t birth;         /* see nx_sym_birth */
    uint8_t plain;          /* nx_sym_is_plain: 0 not yet known, 1 yes, 2 no */
    uint64_t prefix;        /* first 8 bytes, big-endian, zero-padded: nx_sym_cmp */
} sym_entry;

static struct {
    sym_entry *entries;     /* indexed by symbol id; entries[0] unused */
    uint32_t count, cap;
    uint64_t *slots;        /* hash << 32 | id, 0 = empty: a probe compares
                               hashes without touching the entries */
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

static inline uint64_t load_tail(const char *s, size_t n)
{
    /* n < 8 bytes, little-endian, zero-padded. */
    uint64_t w = 0;
    switch (n) {
    case 7: w |= (uint64_t)(unsigned char)s[6] << 48; /* fall through */
    case 6: w |= (uint64_t)(unsigned char)s[5] << 40; /* fall through */
    case 5: w |= (uint64_t)(unsigned char)s[4] << 32; /* fall through */
    case 4: { uint32_t x; memcpy(&x, s, 4); w |= x; break; }
    case 3: w |= (uint64_t)(unsigned char)s[2] << 16; /* fall through */
    case 2: w |= (uint64_t)(unsigned char)s[1] << 8; /* fall through */
    case 1: w |= (unsigned char)s[0]; break;
    }
    return w;
}

uint64_t nx_hash_bytes(const char *s, size_t n)
{
    /* Eight bytes per multiply (a word-at-a-time FNV/Murmur mix): names
     * are short, so this is a handful of instructions per name. */
    uint64_t h = 0xcbf29ce484222325ull ^ (n * 0x9e3779b97f4a7c15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        h = (h ^ load_tail(s, n)) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

/* As CppNix 2.8's printIdentifier: an identifier prints bare, anything
 * else quoted; of the keywords only "if" is quoted. */
static bool plain_identifier(const char *s, size_t len)
{
    if (len == 0 || (len == 2 && s[0] == 'i' && s[1] == 'f')) return false;
    char c = s[0];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
    for (size_t i = 1; i < len; i++) {
        c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '\'' || c == '-'))
            return false;
    }
    return true;
}

static uint64_t sort_prefix(const char *s, size_t n)
{
    uint64_t w;
    if (n >= 8) memcpy(&w, s, 8);
    else w = load_tail(s, n);
    return __builtin_bswap64(w); /* little-endian load: first byte most significant */
}

static void rehash(uint32_t nslots)
{
    uint64_t *slots = nx_xcalloc(nslots, sizeof *slots);
    for (uint32_t id = 1; id < tab.count; id++) {
        uint32_t h = tab.entries[id].hash;
        uint32_t i = h & (nslots - 1);
        while (slots[i]) i = (i + 1) & (nslots - 1);
        slots[i] = (uint64_t)h << 32 | id;
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
        uint64_t v = tab.slots[i];
        if (!v) {
            *slot = i;
            return NX_SYM_NONE;
        }
        if ((uint32_t)(v >> 32) == h) {
            uint32_t id = (uint32_t)v;
            const sym_entry *e = &tab.entries[id];
            if (e->len == n && memcmp(e->str, s, n) == 0) return id;
        }
        i = (i + 1) & mask;
    }
}

static void init_table(void)
{
    tab.cap = 1024;
    tab.entries = nx_xmalloc(tab.cap * sizeof *tab.entries);
    tab.count = 1;
    tab.entries[0] = (sym_entry){ "", 0, 0, 0, 2, 0 };
    nx_arena_init(&tab.strings);
    rehash(2048);
}

static inline void init_once(void)
{
    if (NX_UNLIKELY(!tab.slots)) init_table();
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
    tab.entries[id] = (sym_entry){ nx_arena_strndup(&tab.strings, s, n), (uint32_t)n, h, 0,
                                   0, sort_prefix(s, n) };
    tab.slots[slot] = (uint64_t)h << 32 | id;
    if (tab.count * 2 > tab.nslots) rehash(tab.nslots * 2);
    return id;
}

nx_str_cache_entry nx_str_cache[1u << NX_STR_CACHE_BITS];
static bool str_cache_registered;

/* Called by the collector while it marks: holds no values, it only forgets
 * the addresses the collection may free. */
static void str_cache_clear(nx_gc_mark_fn mark)
{
    (void)mark;
    memset(nx_str_cache, 0, sizeof nx_str_cache);
}

nx_sym nx_sym_of_string_miss(const void *key, const char *s, size_t n, bool intern, uint32_t i)
{
    if (!str_cache_registered) {
        nx_gc_register_roots(str_cache_clear);
        str_cache_registered = true;
    }
    nx_sym sym = intern ? nx_sym_intern(s, n) : nx_sym_lookup(s, n);
    if (sym) {
        nx_str_cache[i].key = key;
        nx_str_cache[i].sym = sym;
    }
    return sym;
}

nx_sym nx_sym_intern_cstr(const char *s) { return nx_sym_intern(s, strlen(s)); }

const char *nx_sym_str(nx_sym s) { return tab.entries[s].str; }
bool nx_sym_is_plain(nx_sym s)
{
    sym_entry *e = &tab.entries[s];
    if (!e->plain) e->plain = plain_identifier(e->str, e->len) ? 1 : 2;
    return e->plain == 1;
}
size_t nx_sym_len(nx_sym s) { return tab.entries[s].len; }

int nx_sym_cmp(nx_sym a, nx_sym b)
{
    if (a == b) return 0;
    const sym_entry *x = &tab.entries[a], *y = &tab.entries[b];
    if (x->prefix != y->prefix) return x->prefix < y->prefix ? -1 : 1;
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
