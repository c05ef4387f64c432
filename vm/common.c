/* common.c — allocation helpers and the growable buffer. */
#include "vm/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void nx_out_of_memory(void)
{
    static const char msg[] = "error: out of memory\n";
    /* write(2) rather than stdio: stdio may itself need memory. */
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(1);
}

void *nx_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (NX_UNLIKELY(!p)) nx_out_of_memory();
    return p;
}

void *nx_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (NX_UNLIKELY(!p)) nx_out_of_memory();
    return p;
}

void *nx_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (NX_UNLIKELY(!p)) nx_out_of_memory();
    return p;
}

char *nx_xstrndup(const char *s, size_t n)
{
    char *p = nx_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void nx_buf_reserve(nx_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = nx_xrealloc(b->data, cap);
    b->cap = cap;
}


void nx_buf_printf(nx_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        nx_buf_add(b, tmp, (size_t)n);
        return;
    }
    nx_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void nx_buf_add_int(nx_buf *b, int64_t i)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (i < 0) *--p = '-';
    nx_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

void nx_buf_free(nx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

size_t nx_canon_append(char *out, size_t o, const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    while (p < e) {
        while (p < e && *p == '/') p++;
        const char *seg = p;
        while (p < e && *p != '/') p++;
        size_t n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.')) continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            continue;
        }
        out[o++] = '/';
        memmove(out + o, seg, n);
        o += n;
    }
    return o;
}

size_t nx_canon_path(char *out, const char *s, size_t len)
{
    size_t o = nx_canon_append(out, 0, s, len);
    if (o == 0) out[o++] = '/';
    out[o] = 0;
    return o;
}

/* Where s stops being well-formed UTF-8 (the byte nlohmann::json's
 * decoder rejects, which modern CppNix reports when it writes the JSON):
 * -1 if it is well-formed, len if it ends inside a sequence. */
ptrdiff_t nx_utf8_error(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        unsigned n, lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) n = 1;
        else if (c >= 0xe0 && c <= 0xef) n = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        else if (c >= 0xf0 && c <= 0xf4) n = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        else return (ptrdiff_t)i;
        for (unsigned k = 1; k <= n; k++) {
            if (i + k >= len) return (ptrdiff_t)len;
            unsigned d = s[i + k];
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xbf)) return (ptrdiff_t)(i + k);
        }
        i += n + 1;
    }
    return -1;
}

bool nx_ptrset_add(nx_ptrset *s, const void *p)
{
    if (s->n * 2 >= s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        uintptr_t *nv = nx_xcalloc(nc, sizeof *nv);
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t h = nx_ptr_slot(s->v[i], nc);
                while (nv[h]) h = (h + 1) & (nc - 1);
                nv[h] = s->v[i];
            }
        free(s->v);
        s->v = nv;
        s->cap = nc;
    }
    uintptr_t k = (uintptr_t)p;
    size_t h = nx_ptr_slot(k, s->cap);
    while (s->v[h]) {
        if (s->v[h] == k) return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->v[h] = k;
    s->n++;
    return true;
}
