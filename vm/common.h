/* common.h — basic types, macros and allocation helpers shared by all of nixe. */
#ifndef NX_COMMON_H
#define NX_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NX_LIKELY(x)   __builtin_expect(!!(x), 1)
#define NX_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NX_NORETURN    __attribute__((noreturn))
#define NX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NX_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that never returns NULL: out of memory is reported and the
 * process exits with status 1 (never a crash). */
void *nx_xmalloc(size_t n);
void *nx_xcalloc(size_t n, size_t size);
void *nx_xrealloc(void *p, size_t n);
char *nx_xstrndup(const char *s, size_t n);
NX_NORETURN void nx_out_of_memory(void);

/* CppNix's canonPath for an absolute path: removes ".", ".." (never above
 * the root) and repeated slashes.  Writes at most len + 2 bytes (NUL
 * included) to out, which must not overlap s; returns the length. */
size_t nx_canon_path(char *out, const char *s, size_t len);
/* The same on the path s appended to out[0..o): each segment of s moves,
 * removes or adds one "/segment" of out (no NUL written).  Returns the
 * new length; out needs room for o + len + 1 bytes. */
size_t nx_canon_append(char *out, size_t o, const char *s, size_t len);

/* The home slot of address k in an open-addressing table of cap entries
 * (a power of two, at most 2^32).  The product's high half mixes every
 * address bit in: heap objects of one size sit at a fixed stride, so
 * their low bits alone fill runs of neighbouring slots, and linear
 * probing over such runs made a pass over 400,000 nested lists
 * quadratic. */
static inline size_t nx_ptr_slot(uintptr_t k, size_t cap)
{
    return (size_t)(((uint64_t)k * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* A set of addresses (open addressing by nx_ptr_slot; zero-initialise,
 * free(v) when done): the values already seen by a walk over a value
 * graph (printing's «repeated», the --show-trace path search). */
typedef struct nx_ptrset { uintptr_t *v; size_t n, cap; } nx_ptrset;
/* Adds p; false if it was there already. */
bool nx_ptrset_add(nx_ptrset *s, const void *p);

/* A growable byte buffer (used for output and string building). */
typedef struct nx_buf {
    char *data;
    size_t len, cap;
} nx_buf;

void nx_buf_reserve(nx_buf *b, size_t extra);
/* Append n bytes (inline: printers, the ATerm writer and string builders
 * append many short pieces; with a literal, nx_buf_adds's strlen folds to
 * a constant).  The buffer stays NUL-terminated. */
static inline void nx_buf_add(nx_buf *b, const char *s, size_t n)
{
    if (__builtin_expect(b->len + n + 1 > b->cap, 0)) nx_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
static inline void nx_buf_adds(nx_buf *b, const char *s) { nx_buf_add(b, s, strlen(s)); }

/* Append one byte (inline: the lexer, the printers and the ATerm writer
 * append byte by byte). */
static inline void nx_buf_addc(nx_buf *b, char c)
{
    if (__builtin_expect(b->len + 2 > b->cap, 0)) nx_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void nx_buf_printf(nx_buf *b, const char *fmt, ...) NX_PRINTF(2, 3);
/* Appends i in decimal, as "%lld" would, without vsnprintf. */
void nx_buf_add_int(nx_buf *b, int64_t i);
void nx_buf_free(nx_buf *b);

/* Where s stops being well-formed UTF-8 (the first byte a strict decoder
 * rejects, as nlohmann::json's): -1 if all of it is, len if it ends
 * inside a sequence. */
ptrdiff_t nx_utf8_error(const char *s, size_t len);

#endif
