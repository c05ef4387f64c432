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
    uint64_t prefix;        /* first 8 bytes, big-endian (first byte most significant),
                               zero-padded: nx_sym_cmp, find */
} sym_entry;

static struct {
    sym_entry *entries;     /* indexed by symbol id; entries[0] unused */
    uint32_t count, cap;
    uint64_t *slots;        /* hash << 32 | id, 0 = empty: a probe compares
                               hashes without touching the entries */
    uint32_t nslots;        /* power of two */
    nx_arena strings;
    uint32_t births;
    struct nx_string **names;   /* nx_sym_name_string's objects by id, or NULL; cap entries */
} tab;

void nx_sym_stats(uint64_t *number, uint64_t *bytes)
{
    *number = tab.count ? tab.count - 1 : 0;
    *bytes = 0;
    for (uint32_t id = 1; id < tab.count; id++) *bytes += nx_sym_len(id);
}

static inline uint64_t load_tail(const char *s, size_t n)
{
    /* n < 8 bytes, little-endian, zero-padded: two overlapping loads, or
     * three bytes (some the same), instead of a byte at a time. */
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return lo | (uint64_t)hi << (8 * (n - 4));
    }
    if (!n) return 0;
    return (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << (8 * (n / 2)) |
           (uint64_t)(unsigned char)s[n - 1] << (8 * (n - 1));
}

/* nx_hash_bytes(s, n), and in *first the first (up to) 8 bytes of s as a
 * little-endian word, zero-padded: the hash loads them anyway. */
static inline uint64_t hash_first(const char *s, size_t n, uint64_t *first)
{
    /* Eight bytes per multiply (a word-at-a-time FNV/Murmur mix): names
     * are short, so this is a handful of instructions per name. */
    uint64_t h = 0xcbf29ce484222325ull ^ (n * 0x9e3779b97f4a7c15ull);
    if (n < 8) {
        uint64_t w = load_tail(s, n);
        *first = w;
        if (n) {
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
    } else {
        memcpy(first, s, 8);
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
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

uint64_t nx_hash_bytes(const char *s, size_t n)
{
    uint64_t first;
    return hash_first(s, n, &first);
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

/* A candidate entry is compared by its length and stored prefix (the
 * first 8 bytes, big-endian: see sym_entry) before its text: a name of up to 8 bytes (most of them)
 * is recognised without reading the string, which is a cache miss more
 * and a memcmp call. */
static nx_sym find(const char *s, size_t n, uint32_t h, uint64_t prefix, uint32_t *slot)
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
            if (e->len == n && e->prefix == prefix && (n <= 8 || memcmp(e->str + 8, s + 8, n - 8) == 0))
                return id;
        }
        i = (i + 1) & mask;
    }
}

static void init_table(void)
{
    tab.cap = 1024;
    tab.entries = nx_xmalloc(tab.cap * sizeof *tab.entries);
    tab.names = nx_xcalloc(tab.cap, sizeof *tab.names);
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
    uint64_t first;
    uint32_t h = (uint32_t)hash_first(s, n, &first);
    return find(s, n, h, __builtin_bswap64(first), &slot);
}

nx_sym nx_sym_intern(const char *s, size_t n)
{
    init_once();
    uint64_t first;
    uint32_t h = (uint32_t)hash_first(s, n, &first), slot;
    uint64_t prefix = __builtin_bswap64(first);
    nx_sym id = find(s, n, h, prefix, &slot);
    if (id) return id;
    if (n > UINT32_MAX) nx_out_of_memory();
    if (tab.count == tab.cap) {
        tab.cap *= 2;
        tab.entries = nx_xrealloc(tab.entries, tab.cap * sizeof *tab.entries);
        tab.names = nx_xrealloc(tab.names, tab.cap * sizeof *tab.names);
        memset(tab.names + tab.count, 0, (tab.cap - tab.count) * sizeof *tab.names);
    }
    id = tab.count++;
    tab.entries[id] = (sym_entry){ nx_arena_strndup(&tab.strings, s, n), (uint32_t)n, h, 0,
                                   0, prefix };
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
    nx_sym sym;
    const nx_string *str = key;
    if (str->h.flags & NX_STRING_SYMBOL) memcpy(&sym, str->s + n + 1, sizeof sym);
    else sym = intern ? nx_sym_intern(s, n) : nx_sym_lookup(s, n);
    if (sym) {
        nx_str_cache[i].key = key;
        nx_str_cache[i].sym = sym;
    }
    return sym;
}

nx_sym nx_sym_intern_cstr(const char *s) { return nx_sym_intern(s, strlen(s)); }

nx_string *nx_sym_name_string(nx_sym s)
{
    nx_string *str = tab.names[s];
    if (str) return str;
    const sym_entry *e = &tab.entries[s];
    str = nx_arena_alloc(&tab.strings, sizeof *str + e->len + 1 + sizeof s);
    str->h = (nx_obj){ NX_OBJ_STRING, NX_GC_PINNED, NX_STRING_SYMBOL, e->len };
    str->ctx = NULL;
    memcpy(str->s, e->str, e->len + 1);
    memcpy(str->s + e->len + 1, &s, sizeof s);
    tab.names[s] = str;
    return str;
}

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
