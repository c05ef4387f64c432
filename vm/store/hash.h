/* hash.h — cryptographic hashes (OpenSSL libcrypto) and their text forms:
 * base16, nix-base32 (Nix's alphabet and bit order), base64 and SRI.
 * Parsing accepts every form CppNix accepts, with its error messages. */
#ifndef NX_STORE_HASH_H
#define NX_STORE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { NX_HASH_MD5, NX_HASH_SHA1, NX_HASH_SHA256, NX_HASH_SHA512 };
enum { NX_HASH_BASE16, NX_HASH_NIX32, NX_HASH_BASE64, NX_HASH_SRI };

typedef struct nx_hash {
    int algo;
    unsigned len;          /* bytes: 16, 20, 32 or 64 */
    uint8_t b[64];
} nx_hash;

/* Incremental hashing (NAR streaming). */
typedef struct nx_hash_ctx {
    void *md;              /* EVP_MD_CTX */
    int algo;
} nx_hash_ctx;

/* "md5", "sha1", "sha256", "sha512"; -1 if unknown. */
int nx_hash_algo_parse(const char *s, size_t len);
const char *nx_hash_algo_name(int algo);
unsigned nx_hash_size(int algo);
/* CppNix's message for an unknown algorithm name (static buffer). */
const char *nx_hash_algo_error(const char *s);

void nx_hash_init(nx_hash_ctx *c, int algo);
void nx_hash_update(nx_hash_ctx *c, const void *p, size_t n);
void nx_hash_final(nx_hash_ctx *c, nx_hash *out);
void nx_hash_digest(int algo, const void *p, size_t n, nx_hash *out);
/* The hash of a file's bytes; false with *err (malloc'd, CppNix's
 * "opening file" wording) when it cannot be read. */
bool nx_hash_file(const char *path, int algo, nx_hash *out, char **err);

/* Encoded lengths of n bytes. */
size_t nx_base16_len(size_t n);
size_t nx_nix32_len(size_t n);
size_t nx_base64_len(size_t n);
/* Encoders write the text and a NUL; return its length. */
size_t nx_base16_encode(char *out, const uint8_t *b, size_t n);
size_t nx_nix32_encode(char *out, const uint8_t *b, size_t n);
size_t nx_base64_encode(char *out, const uint8_t *b, size_t n);
/* Decoders: return the decoded length, or (size_t)-1 with *bad set to
 * the offending character (or -1 for a bad length). */
size_t nx_base16_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad);
size_t nx_nix32_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad);
size_t nx_base64_decode(uint8_t *out, size_t cap, const char *s, size_t n, int *bad);

/* Text form of h in a format; `prefix` adds "algo:" (base16/nix32/base64)
 * — SRI always has "algo-".  out needs 160 bytes.  Returns the length. */
size_t nx_hash_format(char *out, const nx_hash *h, int format, bool prefix);

/* CppNix's Hash::parseAny: "algo:rest", "algo-base64" (SRI) or a bare
 * rest when algo >= 0 (-1: unknown); the encoding of rest is chosen by
 * its length.  Returns false with a malloc'd CppNix message in *err. */
bool nx_hash_parse(const char *s, size_t n, int algo, nx_hash *out, char **err);

#endif
