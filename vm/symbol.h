/* symbol.h — the process-wide table of interned names (attribute names,
 * variables).  A symbol is a small integer; 0 means "no symbol". */
#ifndef NX_SYMBOL_H
#define NX_SYMBOL_H

#include "vm/common.h"

typedef uint32_t nx_sym;

#define NX_SYM_NONE 0u

/* Interns the n bytes at s (which may contain any byte) and returns its id. */
nx_sym nx_sym_intern(const char *s, size_t n);
nx_sym nx_sym_intern_cstr(const char *s);
/* Returns NX_SYM_NONE when the name was never interned. */
nx_sym nx_sym_lookup(const char *s, size_t n);
/* The symbol of a heap string's bytes s[0..n) (key: the string object),
 * through a direct-mapped cache keyed by the object's address and emptied
 * at every collection (only a collection can free an object and let its
 * address be reused; strings are immutable).  intern: create the symbol if
 * missing, as nx_sym_intern; otherwise as nx_sym_lookup (NX_SYM_NONE for a
 * name no symbol has; misses are not cached).  For `x.${n}`, `x ? ${n}`,
 * `{ ${n} = …; }`: names from lists and attrNames are looked up again and
 * again through the same string objects. */
static inline nx_sym nx_sym_of_string(const void *key, const char *s, size_t n, bool intern);

/* nx_sym_of_string's cache, inline so a hit costs a multiply, a shift and
 * a compare (not a call: dynamic attribute names in the module system
 * hit it about a million times per NixOS evaluation). */
#define NX_STR_CACHE_BITS 12
typedef struct nx_str_cache_entry {
    const void *key;
    nx_sym sym;
} nx_str_cache_entry;
extern nx_str_cache_entry nx_str_cache[1u << NX_STR_CACHE_BITS];
nx_sym nx_sym_of_string_miss(const void *key, const char *s, size_t n, bool intern, uint32_t i);
static inline uint32_t nx_str_cache_index(const void *key)
{
    return (uint32_t)(((uintptr_t)key >> 3) * 0x9e3779b97f4a7c15ull >> (64 - NX_STR_CACHE_BITS));
}
static inline nx_sym nx_sym_of_string(const void *key, const char *s, size_t n, bool intern)
{
    uint32_t i = nx_str_cache_index(key);
    if (NX_LIKELY(nx_str_cache[i].key == key)) return nx_str_cache[i].sym;
    return nx_sym_of_string_miss(key, s, n, intern, i);
}

/* The name of s as a heap string without context: the same object for
 * every call, allocated on first use outside the collected heap and
 * pinned (never freed, never traced), so builtins that hand out names
 * (attrNames, mapAttrs) allocate nothing per name.  Such a string carries
 * NX_STRING_SYMBOL in h.flags and its symbol after its terminating NUL:
 * nx_sym_of_string finds the symbol of a name that came back without
 * hashing it, even after a collection emptied its cache. */
struct nx_string *nx_sym_name_string(nx_sym s);
#define NX_STRING_SYMBOL 0x1

/* *cache, interned from name on first use (symbols live for the
 * process): for a name C code looks up often, without hashing it each
 * time. */
static inline nx_sym nx_sym_cached(nx_sym *cache, const char *name)
{
    if (!*cache) *cache = nx_sym_intern_cstr(name);
    return *cache;
}

const char *nx_sym_str(nx_sym s);
size_t nx_sym_len(nx_sym s);
/* Whether the name prints bare in `--parse` output and error messages
 * (CppNix 2.8's printIdentifier), computed once when interned. */
bool nx_sym_is_plain(nx_sym s);
/* Lexicographic byte order of the names (what CppNix prints attrs in). */
int nx_sym_cmp(nx_sym a, nx_sym b);

uint64_t nx_hash_bytes(const char *s, size_t n);

/* "Birth" order: the order in which CppNix 2.8's parser would first have
 * created each symbol.  2.8 orders let bindings and formals by symbol
 * address, which follows creation order; `nixe --parse` reproduces that
 * order (vm/print_ast.c).  nx_sym_mark_born is a no-op after the first
 * call for a symbol; unborn symbols have birth 0. */
void nx_sym_mark_born(nx_sym s);
uint32_t nx_sym_birth(nx_sym s);

#endif
