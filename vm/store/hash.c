/* hash.c — hashing and hash encodings (see hash.h). */
#include "vm/store/hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/common.h"

static const char *const algo_names[] = { "md5", "sha1", "sha256", "sha512" };
static const unsigned algo_sizes[] = { 16, 20, 32, 64 };

int nx_hash_algo_parse(const char *s, size_t len)
{
    for (int i = 0; i < 4; i++)
        if (strlen(algo_names[i]) == len && memcmp(algo_names[i], s, len) == 0) return i;
    return -1;
}

const char *nx_hash_algo_name(int algo) { return algo_names[algo]; }
unsigned nx_hash_size(int algo) { return algo_sizes[algo]; }

const char *nx_hash_algo_error(const char *s)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "unknown hash algorithm '%.300s', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'", s);
    return buf;
}

/* The implementation of each algorithm, fetched once: EVP_DigestInit_ex
 * with EVP_sha256() looks the algorithm up by name in the provider store
 * at every call, which cost about as much as hashing a small derivation. */
static const EVP_MD *md_of(int algo)
{
    static EVP_MD *mds[4];
    static const char *const names[] = { "MD5", "SHA1", "SHA256", "SHA512" };
    if (!mds[algo] && !(mds[algo] = EVP_MD_fetch(NULL, names[algo], NULL))) nx_out_of_memory();
    return mds[algo];
}

void nx_hash_init(nx_hash_ctx *c, int algo)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!m || !EVP_DigestInit_ex2(m, md_of(algo), NULL)) nx_out_of_memory();
    c->md = m;
    c->algo = algo;
}

void nx_hash_update(nx_hash_ctx *c, const void *p, size_t n)
{
    if (n) EVP_DigestUpdate((EVP_MD_CTX *)c->md, p, n);
}

void nx_hash_final(nx_hash_ctx *c, nx_hash *out)
{
    unsigned int len = 0;
    memset(out, 0, sizeof *out);
    EVP_DigestFinal_ex((EVP_MD_CTX *)c->md, out->b, &len);
    EVP_MD_CTX_free((EVP_MD_CTX *)c->md);
    c->md = NULL;
    out->algo = c->algo;
    out->len = len;
}

/* One-shot hashing reuses one context per thread (a derivation takes
 * four to six digests): no allocation, no re-initialisation of the
 * context's provider data beyond what EVP_DigestInit_ex2 resets. */
void nx_hash_digest(int algo, const void *p, size_t n, nx_hash *out)
{
    static _Thread_local EVP_MD_CTX *m;
    if (!m && !(m = EVP_MD_CTX_new())) nx_out_of_memory();
    unsigned int len = 0;
    memset(out, 0, sizeof *out);
    if (!EVP_DigestInit_ex2(m, md_of(algo), NULL) || (n && !EVP_DigestUpdate(m, p, n)) ||
        !EVP_DigestFinal_ex(m, out->b, &len))
        nx_out_of_memory();
    out->algo = algo;
    out->len = len;
}

bool nx_hash_file(const char *path, int algo, nx_hash *out, char **err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nx_buf m = { 0 };
        nx_buf_printf(&m, "opening file '%s': %s", path, strerror(errno));
        *err = m.data;
        return false;
    }
    nx_hash_ctx c;
    nx_hash_init(&c, algo);
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) nx_hash_update(&c, buf, got);
    fclose(fp);
    nx_hash_final(&c, out);
    return true;
}

/* ---- encodings ---------------------------------------------------------- */

static const char hexdigits[] = "0123456789abcdef";
/* Nix's base-32 alphabet: digits and letters without e, o, u, t. */
static const char nix32_chars[] = "0123456789abcdfghijklmnpqrsvwxyz";
static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t nx_base16_len(size_t n) { return 2 * n; }
size_t nx_nix32_len(size_t n) { return n ? (n * 8 - 1) / 5 + 1 : 0; }
size_t nx_base64_len(size_t n) { return ((4 * n / 3) + 3) & ~(size_t)3; }

size_t nx_base16_encode(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdigits[b[i] >> 4];
        out[2 * i + 1] = hexdigits[b[i] & 15];
    }
    out[2 * n] = 0;
    return 2 * n;
}

/* Nix writes the 5-bit groups from the most significant end: character k
 * (from the left) holds bits [5*(len-1-k), +5) of the little-endian
 * bit string of the bytes. */
size_t nx_nix32_encode(char *out, const uint8_t *b, size_t n)
{
    size_t len = nx_nix32_len(n);
    for (size_t k = 0; k < len; k++) {
        size_t bit = (len - 1 - k) * 5, i = bit / 8, j = bit % 8;
        unsigned c = b[i] >> j;
        if (i + 1 < n) c |= (unsigned)b[i + 1] << (8 - j);
        out[k] = nix32_chars[c & 31];
    }
    out[len] = 0;
    return len;
}

size_t nx_base64_encode(char *out, const uint8_t *b, size_t n)
{
    size_t o = 0;
    unsigned data = 0;
    int nbits = 0;
    for (size_t i = 0; i < n; i++) {
        data = data << 8 | b[i];
        nbits += 8;
        while (nbits >= 6) {
            nbits -= 6;
            out[o++] = b64_chars[(data >> nbits) & 63];
        }
    }
    if (nbits) out[o++] = b64_chars[(data << (6 - nbits)) & 63];
    while (o % 4) out[o++] = '=';
    out[o] = 0;
    return o;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t nx_base16_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad)
{
    if (n % 2 || n / 2 > cap) {
        *bad = -1;
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i += 2) {
        int a = hexval(s[i]), b = hexval(s[i + 1]);
        if (a < 0 || b < 0) {
            *bad = (unsigned char)(a < 0 ? s[i] : s[i + 1]);
            return (size_t)-1;
        }
        out[i / 2] = (uint8_t)(a << 4 | b);
    }
    return n / 2;
}

size_t nx_nix32_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad)
{
    size_t size = n * 5 / 8;
    if (size > cap) {
        *bad = -1;
        return (size_t)-1;
    }
    memset(out, 0, size);
    for (size_t k = 0; k < n; k++) {
        char c = s[n - 1 - k];
        const char *p = c ? strchr(nix32_chars, c) : NULL;
        if (!p) {
            *bad = (unsigned char)c;
            return (size_t)-1;
        }
        unsigned digit = (unsigned)(p - nix32_chars);
        size_t bit = k * 5, i = bit / 8, j = bit % 8;
        if (i < size) out[i] |= (uint8_t)(digit << j);
        unsigned carry = digit >> (8 - j);
        if (i + 1 < size) out[i + 1] |= (uint8_t)carry;
        else if (carry || (i >= size && digit)) {
            *bad = (unsigned char)c;
            return (size_t)-1;
        }
    }
    return size;
}

size_t nx_base64_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad)
{
    size_t o = 0;
    unsigned data = 0;
    int nbits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') break;
        const char *p = s[i] ? strchr(b64_chars, s[i]) : NULL;
        if (!p) {
            *bad = (unsigned char)s[i];
            return (size_t)-1;
        }
        data = data << 6 | (unsigned)(p - b64_chars);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            if (o >= cap) {
                *bad = -1;
                return (size_t)-1;
            }
            out[o++] = (uint8_t)(data >> nbits);
        }
    }
    return o;
}

size_t nx_hash_format(char *out, const nx_hash *h, int format, bool prefix)
{
    size_t o = 0;
    const char *name = algo_names[h->algo];
    if (format == NX_HASH_SRI) {
        o = (size_t)sprintf(out, "%s-", name);
        return o + nx_base64_encode(out + o, h->b, h->len);
    }
    if (prefix) o = (size_t)sprintf(out, "%s:", name);
    switch (format) {
    case NX_HASH_BASE16: return o + nx_base16_encode(out + o, h->b, h->len);
    case NX_HASH_NIX32: return o + nx_nix32_encode(out + o, h->b, h->len);
    default: return o + nx_base64_encode(out + o, h->b, h->len);
    }
}

static bool fail(char **err, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 64;
    *err = nx_xmalloc(n);
    snprintf(*err, n, fmt, a, b);
    return false;
}

bool nx_hash_parse(const char *s, size_t n, int algo, nx_hash *out, char **err)
{
    char *orig = nx_xstrndup(s, n);
    const char *rest = orig;
    bool sri = false;
    int parsed = -1;
    const char *sep = memchr(orig, ':', n);
    if (!sep) {
        sep = memchr(orig, '-', n);
        sri = sep != NULL;
    }
    if (sep) {
        parsed = nx_hash_algo_parse(orig, (size_t)(sep - orig));
        if (parsed < 0) {
            char *name = nx_xstrndup(orig, (size_t)(sep - orig));
            fail(err, "%s%s", nx_hash_algo_error(name), "");
            free(name);
            free(orig);
            return false;
        }
        rest = sep + 1;
    }
    bool ok = false;
    if (parsed < 0 && algo < 0) {
        fail(err, "hash '%s' does not include a type, nor is the type otherwise known from context", orig, NULL);
        goto out;
    }
    if (parsed >= 0 && algo >= 0 && parsed != algo) {
        fail(err, "hash '%s' should have type '%s'", orig, algo_names[algo]);
        goto out;
    }
    int a = parsed >= 0 ? parsed : algo;
    size_t rl = strlen(rest), size = algo_sizes[a], got;
    int bad = -1;
    const char *enc;
    memset(out, 0, sizeof *out);
    if (sri) {
        enc = "SRI";
        got = nx_base64_decode(out->b, sizeof out->b, rest, rl, &bad);
    } else if (rl == nx_base16_len(size)) {
        enc = "base16";
        got = nx_base16_decode(out->b, sizeof out->b, rest, rl, &bad);
    } else if (rl == nx_nix32_len(size)) {
        enc = "nix32";
        got = nx_nix32_decode(out->b, sizeof out->b, rest, rl, &bad);
    } else if (rl == nx_base64_len(size)) {
        enc = "Base64";
        got = nx_base64_decode(out->b, sizeof out->b, rest, rl, &bad);
    } else {
        fail(err, "hash '%s' has wrong length for hash algorithm '%s'", rest, algo_names[a]);
        goto out;
    }
    if (got == (size_t)-1 && bad >= 0) {
        char c[2] = { (char)bad, 0 };
        const char *what = enc[0] == 'b' ? "Base16" : enc[0] == 'n' ? "Nix32 (Nix's Base32 variation)" : "Base64";
        fail(err, "invalid character in %s string: '%s'", what, c);
        goto out;
    }
    if (got != size) {
        size_t m = strlen(rest) + 128;
        *err = nx_xmalloc(m);
        snprintf(*err, m, "invalid %s hash '%s', length %zu != expected length %zu", enc, rest,
                 got == (size_t)-1 ? (size_t)0 : got, size);
        goto out;
    }
    out->algo = a;
    out->len = (unsigned)size;
    ok = true;
out:
    free(orig);
    return ok;
}
