/* lexer.c — hand-written Nix tokenizer mirroring CppNix's flex rules.
 *
 * In expression mode every rule that could match at the current byte is
 * measured and the longest wins; on a tie the rule listed first in
 * CppNix's lexer wins (keywords, operators, ID, INT, FLOAT, ${, braces,
 * '', path-with-${, PATH, HPATH, SPATH, URI).  That is what makes `a/b` a
 * path, `x:x` a URI and `1e3` an INT followed by an ID, exactly as in Nix. */
#include "vm/lexer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_EXPR, M_STRING, M_IND, M_INPATH, M_INPATH_SLASH };

/* Character classes, one table lookup per byte.  Byte 0 has no class,
 * so scans stop at the NUL that follows every source text. */
enum {
    C_DIGIT = 1, C_ALPHA = 2, C_ID = 4, C_PATH = 8, C_SPACE = 16, C_URI = 32, C_SCHEME = 64,
    C_STRSTOP = 128,    /* ends a plain run inside "...": " \\ $ CR NUL */
};

static const uint8_t cls[256] = {
#define R(a, b, v) [a ... b] = (v)
    R('0', '9', C_DIGIT | C_ID | C_PATH | C_URI | C_SCHEME),
    R('a', 'z', C_ALPHA | C_ID | C_PATH | C_URI | C_SCHEME),
    R('A', 'Z', C_ALPHA | C_ID | C_PATH | C_URI | C_SCHEME),
#undef R
    ['_'] = C_ID | C_PATH | C_URI,
    ['\''] = C_ID | C_URI,
    ['-'] = C_ID | C_PATH | C_URI | C_SCHEME,
    ['.'] = C_PATH | C_URI | C_SCHEME,
    ['+'] = C_PATH | C_URI | C_SCHEME,
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE | C_STRSTOP, ['\n'] = C_SPACE,
    [0] = C_STRSTOP, ['"'] = C_STRSTOP, ['\\'] = C_STRSTOP,
    ['%'] = C_URI, ['/'] = C_URI, ['?'] = C_URI, [':'] = C_URI, ['@'] = C_URI,
    ['&'] = C_URI, ['='] = C_URI, ['$'] = C_URI | C_STRSTOP, [','] = C_URI, ['!'] = C_URI,
    ['~'] = C_URI, ['*'] = C_URI,
};

static inline bool is_digit(int c) { return cls[(uint8_t)c] & C_DIGIT; }
static inline bool is_alpha(int c) { return cls[(uint8_t)c] & C_ALPHA; }
static inline bool is_path_char(int c) { return cls[(uint8_t)c] & C_PATH; }
static inline bool is_id_char(int c) { return cls[(uint8_t)c] & C_ID; }
static inline bool is_uri_char(int c) { return cls[(uint8_t)c] & C_URI; }

void nx_lexer_init(nx_lexer *lx, const char *src, size_t len, nx_arena *arena)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->arena = arena;
    lx->capmodes = 64;
    lx->modes = nx_xmalloc(lx->capmodes);
    lx->modes[0] = M_EXPR;
    lx->nmodes = 1;
}

void nx_lexer_free(nx_lexer *lx)
{
    free(lx->modes);
    lx->modes = NULL;
}

static void push_mode(nx_lexer *lx, uint8_t m)
{
    if (lx->nmodes == lx->capmodes) {
        lx->capmodes *= 2;
        lx->modes = nx_xrealloc(lx->modes, lx->capmodes);
    }
    lx->modes[lx->nmodes++] = m;
}

/* The bottom expression mode is never popped: an unbalanced '}' is left
 * for the parser to reject. */
static void pop_mode(nx_lexer *lx)
{
    if (lx->nmodes > 1) lx->nmodes--;
}

static inline int at(const nx_lexer *lx, size_t i) { return i < lx->len ? (unsigned char)lx->src[i] : 0; }
static inline bool has(const nx_lexer *lx, size_t i) { return i < lx->len; }

/* ---- rule matchers: each returns the match length at p, or 0 ---------- */

static size_t match_id(const nx_lexer *lx, size_t p)
{
    if (!has(lx, p) || !(is_alpha(at(lx, p)) || at(lx, p) == '_')) return 0;
    size_t q = p + 1;
    while (has(lx, q) && is_id_char(at(lx, q))) q++;
    return q - p;
}

static size_t match_int(const nx_lexer *lx, size_t p)
{
    size_t q = p;
    while (has(lx, q) && is_digit(at(lx, q))) q++;
    return q - p;
}

static size_t match_float(const nx_lexer *lx, size_t p)
{
    size_t q = p;
    int c = at(lx, q);
    if (c >= '1' && c <= '9') {
        while (has(lx, q) && is_digit(at(lx, q))) q++;
        if (at(lx, q) != '.') return 0;
        q++;
        while (has(lx, q) && is_digit(at(lx, q))) q++;
    } else if (c == '0' && at(lx, q + 1) == '.' && is_digit(at(lx, q + 2))) {
        q += 2;
        while (has(lx, q) && is_digit(at(lx, q))) q++;
    } else if (c == '.' && is_digit(at(lx, q + 1))) {
        q += 1;
        while (has(lx, q) && is_digit(at(lx, q))) q++;
    } else {
        return 0;
    }
    if (at(lx, q) == 'e' || at(lx, q) == 'E') {
        size_t r = q + 1;
        if (at(lx, r) == '+' || at(lx, r) == '-') r++;
        if (is_digit(at(lx, r))) {
            while (has(lx, r) && is_digit(at(lx, r))) r++;
            q = r;
        }
    }
    return q - p;
}

/* {PATH_CHAR}*(\/{PATH_CHAR}+)+\/?  — starting at p (prefix already checked
 * by the caller for HPATH, which passes the position after '~'). */
static size_t match_path_tail(const nx_lexer *lx, size_t p, bool allow_prefix)
{
    size_t q = p;
    if (allow_prefix)
        while (has(lx, q) && is_path_char(at(lx, q))) q++;
    int segs = 0;
    while (at(lx, q) == '/' && is_path_char(at(lx, q + 1))) {
        q++;
        while (has(lx, q) && is_path_char(at(lx, q))) q++;
        segs++;
    }
    if (!segs) return 0;
    if (at(lx, q) == '/') q++;
    return q - p;
}

/* {PATH_CHAR}*\/\$\{ : returns the length of the segment including '/'. */
static size_t match_seg_interp(const nx_lexer *lx, size_t p)
{
    size_t q = p;
    while (has(lx, q) && is_path_char(at(lx, q))) q++;
    if (at(lx, q) == '/' && at(lx, q + 1) == '$' && at(lx, q + 2) == '{') return q + 1 - p;
    return 0;
}

static size_t match_spath(const nx_lexer *lx, size_t p)
{
    if (at(lx, p) != '<' || !is_path_char(at(lx, p + 1))) return 0;
    size_t q = p + 1;
    while (has(lx, q) && is_path_char(at(lx, q))) q++;
    while (at(lx, q) == '/' && is_path_char(at(lx, q + 1))) {
        q++;
        while (has(lx, q) && is_path_char(at(lx, q))) q++;
    }
    if (at(lx, q) != '>') return 0;
    return q + 1 - p;
}

static size_t match_uri(const nx_lexer *lx, size_t p)
{
    if (!is_alpha(at(lx, p))) return 0;
    size_t q = p + 1;
    while (has(lx, q) && (cls[at(lx, q)] & C_SCHEME)) q++;
    if (at(lx, q) != ':') return 0;
    q++;
    size_t r = q;
    while (has(lx, r) && is_uri_char(at(lx, r))) r++;
    return r > q ? r - p : 0;
}



/* ---- token constructors ------------------------------------------------- */

static void tok_text(nx_lexer *lx, nx_token *t, uint8_t type, size_t start, size_t end)
{
    t->type = type;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->v.str.s = lx->src + start;
    t->v.str.len = end - start;
}

static void tok_error(nx_token *t, size_t start, size_t end, const char *msg)
{
    t->type = NX_T_ERROR;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->v.err = msg;
}

static void tok_simple(nx_token *t, uint8_t type, size_t start, size_t end)
{
    t->type = type;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
}

/* Modern CppNix (forceNoNullByte) rejects a string piece that contains a
 * NUL byte, showing each NUL as U+2400 (Nix 2.8 cut a "..." piece there
 * and kept it in an indented string).  The token becomes an error at its
 * start; t->v.str holds the piece's text. */
static void null_byte_error(nx_lexer *lx, nx_token *t)
{
    static const char head[] = "input string '", tail[] =
        "' cannot be represented as Nix string because it contains null bytes";
    size_t n = t->v.str.len, nul = 0;
    for (size_t i = 0; i < n; i++) nul += t->v.str.s[i] == 0;
    char *msg = nx_arena_alloc(lx->arena, sizeof head + n + 2 * nul + sizeof tail);
    size_t o = 0;
    memcpy(msg, head, sizeof head - 1);
    o += sizeof head - 1;
    for (size_t i = 0; i < n; i++) {
        if (t->v.str.s[i]) msg[o++] = t->v.str.s[i];
        else memcpy(msg + o, "\xe2\x90\x80", 3), o += 3;
    }
    memcpy(msg + o, tail, sizeof tail);
    tok_error(t, t->start, t->end, msg);
}

/* CppNix's unescapeStr: \n \r \t escapes, any other \X is X, and CR or
 * CR/LF outside an escape become LF.  The result goes into the arena. */
static void unescape(nx_lexer *lx, nx_token *t, const char *s, size_t n)
{
    char *out = nx_arena_alloc(lx->arena, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            c = s[++i];
            if (c == 'n') out[o++] = '\n';
            else if (c == 'r') out[o++] = '\r';
            else if (c == 't') out[o++] = '\t';
            else out[o++] = c;
        } else if (c == '\r') {
            out[o++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n') i++;
        } else {
            out[o++] = c;
        }
    }
    out[o] = 0;
    t->v.str.s = out;
    t->v.str.len = o;
    if (memchr(out, 0, o)) null_byte_error(lx, t);
}

/* ---- modes --------------------------------------------------------------- */

static __attribute__((noinline)) void lex_string(nx_lexer *lx, nx_token *t)
{
    size_t p = lx->pos;
    if (!has(lx, p)) {
        tok_simple(t, NX_T_EOF, lx->last_start, lx->last_start);
        return;
    }
    lx->last_start = (uint32_t)p;
    if (at(lx, p) == '"') {
        pop_mode(lx);
        lx->pos = p + 1;
        t->type = NX_T_CHAR;
        t->ch = '"';
        t->start = (uint32_t)p;
        t->end = (uint32_t)(p + 1);
        return;
    }
    if (at(lx, p) == '$' && at(lx, p + 1) == '{') {
        push_mode(lx, M_EXPR);
        lx->pos = p + 2;
        tok_simple(t, NX_T_DOLLAR_CURLY, p, p + 2);
        return;
    }
    /* Plain runs are skipped by table; a piece without escapes, CRs or
     * NULs is used in place (sources live for the whole process). */
    const char *src = lx->src;
    size_t q = p;
    bool plain = true;
    for (;;) {
        while (!(cls[(unsigned char)src[q]] & C_STRSTOP)) q++;
        if (q >= lx->len) break;
        int c = (unsigned char)src[q];
        if (c == '"') break;
        if (c == '\\') {
            plain = false;
            if (!has(lx, q + 1)) break;
            q += 2;
            continue;
        }
        if (c == '$') {
            if (!has(lx, q + 1)) break;
            int d = at(lx, q + 1);
            if (d == '{') break;
            if (d == '"') { q++; break; }
            if (d == '\\') {
                plain = false;
                if (!has(lx, q + 2)) break;
                q += 3;
                continue;
            }
            q += 2;
            continue;
        }
        plain = false; /* CR or NUL */
        q++;
    }
    if (q == p) {
        /* A lone '$', '\' or '$\' right before the end of input: a piece
         * of its own, which the parser then rejects (as 2.8 does). */
        tok_text(lx, t, NX_T_STR, p, lx->len);
        unescape(lx, t, lx->src + p, lx->len - p);
        lx->pos = lx->len;
        return;
    }
    t->type = NX_T_STR;
    t->start = (uint32_t)p;
    t->end = (uint32_t)q;
    if (plain) {
        t->v.str.s = src + p;
        t->v.str.len = q - p;
    } else {
        unescape(lx, t, lx->src + p, q - p);
    }
    lx->pos = q;
}

static __attribute__((noinline)) void lex_ind_string(nx_lexer *lx, nx_token *t)
{
    size_t p = lx->pos;
    if (!has(lx, p)) {
        tok_simple(t, NX_T_EOF, lx->last_start, lx->last_start);
        return;
    }
    lx->last_start = (uint32_t)p;
    int c = at(lx, p);
    if (c == '\'' && at(lx, p + 1) == '\'') {
        int d = at(lx, p + 2);
        if (d == '$' && has(lx, p + 2)) {
            tok_text(lx, t, NX_T_IND_STR, p, p + 3);
            t->v.str.s = "$";
            t->v.str.len = 1;
            lx->pos = p + 3;
            return;
        }
        if (d == '\'' && has(lx, p + 2)) {
            tok_text(lx, t, NX_T_IND_STR, p, p + 3);
            t->v.str.s = "''";
            t->v.str.len = 2;
            lx->pos = p + 3;
            return;
        }
        if (d == '\\' && has(lx, p + 3)) {
            tok_text(lx, t, NX_T_IND_STR, p, p + 4);
            unescape(lx, t, lx->src + p + 2, 2);
            t->ch = 1; /* an escape: not subject to indentation stripping */
            lx->pos = p + 4;
            return;
        }
        pop_mode(lx);
        lx->pos = p + 2;
        tok_simple(t, NX_T_IND_STRING_CLOSE, p, p + 2);
        return;
    }
    if (c == '$' && at(lx, p + 1) == '{') {
        push_mode(lx, M_EXPR);
        lx->pos = p + 2;
        tok_simple(t, NX_T_DOLLAR_CURLY, p, p + 2);
        return;
    }
    /* ([^$']|\$[^{']|'[^'$])+ */
    size_t q = p;
    while (has(lx, q)) {
        int d = at(lx, q);
        if (d == '$' || d == '\'') {
            if (!has(lx, q + 1)) break;
            int e = at(lx, q + 1);
            if (d == '$' && (e == '{' || e == '\'')) break;
            if (d == '\'' && (e == '\'' || e == '$')) break;
            q += 2;
            continue;
        }
        q++;
    }
    if (q == p) {
        /* A lone '$' or '\'' that the chunk rule cannot take. */
        tok_text(lx, t, NX_T_IND_STR, p, p + 1);
        lx->pos = p + 1;
        return;
    }
    tok_text(lx, t, NX_T_IND_STR, p, q);
    if (memchr(lx->src + p, 0, q - p)) null_byte_error(lx, t);
    lx->pos = q;
}

static __attribute__((noinline)) void lex_in_path(nx_lexer *lx, nx_token *t, bool after_slash)
{
    size_t p = lx->pos;
    if (at(lx, p) == '$' && at(lx, p + 1) == '{') {
        lx->last_start = (uint32_t)p;
        pop_mode(lx);
        push_mode(lx, M_INPATH);
        push_mode(lx, M_EXPR);
        lx->pos = p + 2;
        tok_simple(t, NX_T_DOLLAR_CURLY, p, p + 2);
        return;
    }
    /* {PATH}|{PATH_SEG}|{PATH_CHAR}+ : the longest of the three. */
    size_t a = match_path_tail(lx, p, true);
    size_t b = 0;
    {
        size_t q = p;
        while (has(lx, q) && is_path_char(at(lx, q))) q++;
        b = q - p;
        if (at(lx, q) == '/') b = q + 1 - p;
    }
    size_t n = a > b ? a : b;
    if (n) {
        lx->last_start = (uint32_t)p;
        pop_mode(lx);
        push_mode(lx, lx->src[p + n - 1] == '/' ? M_INPATH_SLASH : M_INPATH);
        tok_text(lx, t, NX_T_STR, p, p + n);
        lx->pos = p + n;
        return;
    }
    if (after_slash) {
        if (has(lx, p)) tok_error(t, p, p + 1, "path has a trailing slash");
        else tok_error(t, lx->last_start, lx->last_start, "path has a trailing slash");
        return;
    }
    /* Any other byte ends the path; it is lexed again in the outer mode.
     * The zero-width token is located at the last lexeme (as in flex). */
    pop_mode(lx);
    tok_simple(t, NX_T_PATH_END, lx->last_start, lx->last_start);
}

static bool skip_space_and_comments(nx_lexer *lx)
{
    const char *src = lx->src;
    size_t p = lx->pos;
    bool any = false;
    for (;;) {
        if (!has(lx, p)) break;
        int c = (unsigned char)src[p];
        if (cls[c] & C_SPACE) {
            size_t q = p + 1;
            while (cls[(unsigned char)src[q]] & C_SPACE) q++; /* stops at the NUL */
            lx->last_start = (uint32_t)p;
            p = q;
            any = true;
            continue;
        }
        if (c == '#') {
            lx->last_start = (uint32_t)p;
            const char *nl = memchr(src + p, '\n', lx->len - p);
            size_t q = nl ? (size_t)(nl - src) : lx->len;
            const char *cr = memchr(src + p, '\r', q - p);
            p = cr ? (size_t)(cr - src) : q;
            any = true;
            continue;
        }
        if (c == '/' && at(lx, p + 1) == '*') {
            /* \/\*([^*]|\*+[^*\/])*\*+\/ — unterminated means no match. */
            const char *end = NULL;
            size_t q = p + 2;
            while (q + 1 < lx->len) {
                const char *star = memchr(src + q, '*', lx->len - 1 - q);
                if (!star) break;
                q = (size_t)(star - src);
                if (src[q + 1] == '/') {
                    end = src + q + 2;
                    break;
                }
                q++;
            }
            if (!end) break;
            lx->last_start = (uint32_t)p;
            p = (size_t)(end - src);
            any = true;
            continue;
        }
        break;
    }
    lx->pos = p;
    return any;
}

/* Keywords by length and bytes; NX_T_ID when s is not one. */
static uint8_t keyword(const char *s, size_t n)
{
    switch (n) {
    case 2:
        if (s[0] == 'i' && s[1] == 'f') return NX_T_IF;
        if (s[0] == 'i' && s[1] == 'n') return NX_T_IN;
        if (s[0] == 'o' && s[1] == 'r') return NX_T_OR_KW;
        break;
    case 3:
        if (memcmp(s, "let", 3) == 0) return NX_T_LET;
        if (memcmp(s, "rec", 3) == 0) return NX_T_REC;
        break;
    case 4:
        if (memcmp(s, "then", 4) == 0) return NX_T_THEN;
        if (memcmp(s, "else", 4) == 0) return NX_T_ELSE;
        if (memcmp(s, "with", 4) == 0) return NX_T_WITH;
        break;
    case 6:
        if (memcmp(s, "assert", 6) == 0) return NX_T_ASSERT;
        break;
    case 7:
        if (memcmp(s, "inherit", 7) == 0) return NX_T_INHERIT;
        break;
    }
    return NX_T_ID;
}

/* The end of the maximal run of bytes of class k (C_PATH: which 0,
 * C_SCHEME: 1) that starts at or contains q.  The lexer remembers the last
 * run of each kind: a token inside a run already measured does not scan
 * the rest of it again, so a long chain such as `a.a.a…` (each `.a` asks
 * whether a path follows) is lexed in linear time, not quadratic (40,000
 * components took 13 s).  Relies on src[len] == 0. */
static inline size_t run_end(nx_lexer *lx, size_t q, int which, uint8_t k)
{
    if (q >= lx->run_lo[which] && q < lx->run_hi[which]) return lx->run_hi[which];
    size_t r = q;
    while (cls[(unsigned char)lx->src[r]] & k) r++;
    lx->run_lo[which] = q;
    lx->run_hi[which] = r;
    return r;
}

/* True when a run of path characters from q is followed by '/', or a run
 * of URI scheme characters by ':' — i.e. when a PATH, path segment or URI
 * rule might match a token that continues at q.  Conservative: a false
 * "true" only sends the token to the general matcher. */
static inline bool may_continue_as_path_or_uri(nx_lexer *lx, size_t q)
{
    return lx->src[run_end(lx, q, 0, C_PATH)] == '/' || lx->src[run_end(lx, q, 1, C_SCHEME)] == ':';
}

/* The common tokens — identifiers, keywords, integers, punctuation —
 * recognised without measuring every rule.  Returns false when the token
 * might be something longer (a path, URI, float, operator...), leaving the
 * lexer untouched for the general matcher.  Relies on src[len] == 0. */
static bool lex_fast(nx_lexer *lx, nx_token *t, size_t p, int c)
{
    const char *src = lx->src;
    uint8_t k = cls[c];
    if (k & C_ALPHA || c == '_') {
        size_t q = p + 1;
        while (cls[(unsigned char)src[q]] & C_ID) q++;
        int d = (unsigned char)src[q];
        if ((d == '.' || d == '+') && may_continue_as_path_or_uri(lx, q)) return false;
        if (d == '/' || d == ':') return false;
        uint8_t kw = q - p <= 7 ? keyword(src + p, q - p) : NX_T_ID;
        if (kw == NX_T_ID) tok_text(lx, t, NX_T_ID, p, q);
        else tok_simple(t, kw, p, q);
        lx->pos = q;
        return true;
    }
    if (k & C_DIGIT) {
        size_t q = p + 1;
        int64_t v = c - '0';
        while (cls[(unsigned char)src[q]] & C_DIGIT) {
            int d = src[q] - '0';
            if (v > (INT64_MAX - d) / 10) return false; /* overflow: the general path reports it */
            v = v * 10 + d;
            q++;
        }
        int d = (unsigned char)src[q];
        if ((cls[d] & C_PATH) || d == '/') return false;
        tok_simple(t, NX_T_INT, p, q);
        t->v.i = v;
        lx->pos = q;
        return true;
    }
    if (c == '.' || c == '/') {
        /* A plain path such as ./a/b or ../a: a first run of path
         * characters, then only '/'-separated segments, ending neither in
         * '/' nor before "${".  Longer than any other rule that could
         * match here (operators, floats, `.`), so no measuring needed. */
        size_t q = run_end(lx, p, 0, C_PATH);
        if (src[q] == '/' && (cls[(unsigned char)src[q + 1]] & C_PATH)) {
            while (src[q] == '/' && (cls[(unsigned char)src[q + 1]] & C_PATH)) {
                q++;
                while (cls[(unsigned char)src[q]] & C_PATH) q++;
            }
            if (src[q] != '/' && !(src[q] == '$' && src[q + 1] == '{')) {
                push_mode(lx, M_INPATH);
                tok_text(lx, t, NX_T_PATH, p, q);
                lx->pos = q;
                return true;
            }
        }
    }
    switch (c) {
    case ';': case '(': case ')': case '[': case ']': case ',': case '@': case '?': case ':':
        break;
    case '=':
        if (src[p + 1] == '=') {
            tok_simple(t, NX_T_EQ, p, p + 2);
            lx->pos = p + 2;
            return true;
        }
        break;
    case '{':
        push_mode(lx, M_EXPR);
        break;
    case '}':
        pop_mode(lx);
        break;
    case '"':
        push_mode(lx, M_STRING);
        break;
    case '.': {
        /* A '.' followed by an attribute name (not a path or float). */
        int d = (unsigned char)src[p + 1];
        if (!(cls[d] & C_ALPHA) && d != '_' && d != '"' && d != '$' && !(cls[d] & C_SPACE)) return false;
        if ((cls[d] & C_PATH) && may_continue_as_path_or_uri(lx, p + 1)) return false;
        break;
    }
    default:
        return false;
    }
    t->type = NX_T_CHAR;
    t->ch = (uint8_t)c;
    t->start = (uint32_t)p;
    t->end = (uint32_t)(p + 1);
    lx->pos = p + 1;
    return true;
}

static void lex_general(nx_lexer *lx, nx_token *t, size_t p, int c);

static void lex_expr(nx_lexer *lx, nx_token *t)
{
    skip_space_and_comments(lx);
    size_t p = lx->pos;
    if (!has(lx, p)) {
        tok_simple(t, NX_T_EOF, lx->last_start, lx->last_start);
        return;
    }
    lx->last_start = (uint32_t)p;
    int c = at(lx, p);
    if (c == 0) {
        /* A NUL byte is the end of input to CppNix's parser. */
        tok_simple(t, NX_T_EOF, p, p);
        lx->pos = lx->len;
        return;
    }
    if (!lex_fast(lx, t, p, c)) lex_general(lx, t, p, c);
}

/* The general matcher: measures every rule that can match at p and takes
 * the longest, the earlier rule winning a tie.  Kept out of line so the
 * fast path's frame stays small. */
static __attribute__((noinline)) void lex_general(nx_lexer *lx, nx_token *t, size_t p, int c)
{
    /* Candidates, in CppNix's rule order (earlier wins a tie). */
    enum { R_KW, R_OP, R_ID, R_INT, R_FLOAT, R_DOLLAR, R_BRACE, R_IND, R_SEG,
           R_HSEG, R_PATH, R_HPATH, R_SPATH, R_URI, R_N };
    size_t len[R_N] = { 0 };
    uint8_t kw = 0, op = 0;

    len[R_ID] = match_id(lx, p);
    if (len[R_ID] >= 2 && len[R_ID] <= 7) {
        kw = keyword(lx->src + p, len[R_ID]);
        if (kw != NX_T_ID) len[R_KW] = len[R_ID];
    }
    {
        /* Operators, by their first byte. */
        int d = at(lx, p + 1);
        switch (c) {
        case '.': if (d == '.' && at(lx, p + 2) == '.') { len[R_OP] = 3; op = NX_T_ELLIPSIS; } break;
        case '=': if (d == '=') { len[R_OP] = 2; op = NX_T_EQ; } break;
        case '!': if (d == '=') { len[R_OP] = 2; op = NX_T_NEQ; } break;
        case '<':
            if (d == '=') { len[R_OP] = 2; op = NX_T_LEQ; }
            else if (d == '|') { len[R_OP] = 2; op = NX_T_PIPE_FROM; }
            break;
        case '>': if (d == '=') { len[R_OP] = 2; op = NX_T_GEQ; } break;
        case '&': if (d == '&') { len[R_OP] = 2; op = NX_T_AND; } break;
        case '|':
            if (d == '|') { len[R_OP] = 2; op = NX_T_OR; }
            else if (d == '>') { len[R_OP] = 2; op = NX_T_PIPE_INTO; }
            break;
        case '-': if (d == '>') { len[R_OP] = 2; op = NX_T_IMPL; } break;
        case '/': if (d == '/') { len[R_OP] = 2; op = NX_T_UPDATE; } break;
        case '+': if (d == '+') { len[R_OP] = 2; op = NX_T_CONCAT; } break;
        }
    }
    if (is_digit(c)) len[R_INT] = match_int(lx, p);
    if (is_digit(c) || c == '.') len[R_FLOAT] = match_float(lx, p);
    if (c == '$' && at(lx, p + 1) == '{') len[R_DOLLAR] = 2;
    if (c == '{' || c == '}' || c == '"') len[R_BRACE] = 1;
    if (c == '\'' && at(lx, p + 1) == '\'') {
        size_t q = p + 2;
        while (at(lx, q) == ' ') q++;
        len[R_IND] = at(lx, q) == '\n' ? q + 1 - p : 2;
    }
    if (is_path_char(c) || c == '/') {
        /* A path needs a '/' right after its first run of path characters:
         * look for it once before trying the path rules. */
        if (at(lx, run_end(lx, p, 0, C_PATH)) == '/') {
            size_t s = match_seg_interp(lx, p);
            if (s) len[R_SEG] = s + 2;
            len[R_PATH] = match_path_tail(lx, p, true);
        }
    }
    if (c == '~') {
        if (at(lx, p + 1) == '/' && at(lx, p + 2) == '$' && at(lx, p + 3) == '{') len[R_HSEG] = 4;
        size_t h = match_path_tail(lx, p + 1, false);
        if (h) len[R_HPATH] = h + 1;
    }
    if (c == '<') len[R_SPATH] = match_spath(lx, p);
    if (is_alpha(c)) len[R_URI] = match_uri(lx, p);

    int best = -1;
    size_t bestlen = 0;
    for (int r = 0; r < R_N; r++)
        if (len[r] > bestlen) {
            bestlen = len[r];
            best = r;
        }

    switch (best) {
    case R_KW:
        tok_simple(t, kw, p, p + bestlen);
        break;
    case R_OP:
        tok_simple(t, op, p, p + bestlen);
        break;
    case R_ID:
        tok_text(lx, t, NX_T_ID, p, p + bestlen);
        break;
    case R_INT: {
        int64_t v = 0;
        bool overflow = false;
        for (size_t i = 0; i < bestlen; i++) {
            int d = lx->src[p + i] - '0';
            if (v > (INT64_MAX - d) / 10) {
                overflow = true;
                break;
            }
            v = v * 10 + d;
        }
        if (overflow) {
            tok_error(t, p, p + bestlen, "invalid integer");
        } else {
            tok_simple(t, NX_T_INT, p, p + bestlen);
            t->v.i = v;
        }
        break;
    }
    case R_FLOAT: {
        char buf[64];
        char *tmp = bestlen < sizeof buf ? buf : nx_xmalloc(bestlen + 1);
        memcpy(tmp, lx->src + p, bestlen);
        tmp[bestlen] = 0;
        errno = 0;
        double f = strtod(tmp, NULL);
        int e = errno;
        if (tmp != buf) free(tmp);
        if (e) {
            tok_error(t, p, p + bestlen, "invalid float");
        } else {
            tok_simple(t, NX_T_FLOAT, p, p + bestlen);
            t->v.f = f;
        }
        break;
    }
    case R_DOLLAR:
        push_mode(lx, M_EXPR);
        tok_simple(t, NX_T_DOLLAR_CURLY, p, p + 2);
        break;
    case R_BRACE:
        if (c == '{') push_mode(lx, M_EXPR);
        else if (c == '}') pop_mode(lx);
        else push_mode(lx, M_STRING);
        t->type = NX_T_CHAR;
        t->ch = (uint8_t)c;
        t->start = (uint32_t)p;
        t->end = (uint32_t)(p + 1);
        break;
    case R_IND:
        push_mode(lx, M_IND);
        tok_simple(t, NX_T_IND_STRING_OPEN, p, p + bestlen);
        break;
    case R_SEG:
        bestlen -= 2; /* the ${ is lexed next, in path mode */
        push_mode(lx, M_INPATH_SLASH);
        tok_text(lx, t, NX_T_PATH, p, p + bestlen);
        break;
    case R_HSEG:
        bestlen = 2;
        push_mode(lx, M_INPATH_SLASH);
        tok_text(lx, t, NX_T_HPATH, p, p + bestlen);
        break;
    case R_PATH:
    case R_HPATH:
        push_mode(lx, lx->src[p + bestlen - 1] == '/' ? M_INPATH_SLASH : M_INPATH);
        tok_text(lx, t, best == R_PATH ? NX_T_PATH : NX_T_HPATH, p, p + bestlen);
        break;
    case R_SPATH:
        tok_text(lx, t, NX_T_SPATH, p, p + bestlen);
        break;
    case R_URI:
        tok_text(lx, t, NX_T_URI, p, p + bestlen);
        break;
    default:
        bestlen = 1;
        t->type = NX_T_CHAR;
        t->ch = (uint8_t)c;
        t->start = (uint32_t)p;
        t->end = (uint32_t)(p + 1);
        break;
    }
    lx->pos = p + bestlen;
}

void nx_lexer_next(nx_lexer *lx, nx_token *t)
{
    memset(t, 0, sizeof *t);
    switch (lx->modes[lx->nmodes - 1]) {
    case M_STRING: lex_string(lx, t); break;
    case M_IND: lex_ind_string(lx, t); break;
    case M_INPATH: lex_in_path(lx, t, false); break;
    case M_INPATH_SLASH: lex_in_path(lx, t, true); break;
    default: lex_expr(lx, t); break;
    }
}

static const char *const tok_names[] = {
    [NX_T_EOF] = "end of file", [NX_T_ERROR] = "error",
    [NX_T_ID] = "ID", [NX_T_INT] = "INT_LIT", [NX_T_FLOAT] = "FLOAT_LIT",
    [NX_T_STR] = "STR", [NX_T_IND_STR] = "IND_STR", [NX_T_PATH] = "PATH",
    [NX_T_HPATH] = "HPATH", [NX_T_SPATH] = "SPATH", [NX_T_URI] = "URI",
    [NX_T_PATH_END] = "PATH_END", [NX_T_DOLLAR_CURLY] = "DOLLAR_CURLY",
    [NX_T_IND_STRING_OPEN] = "IND_STRING_OPEN", [NX_T_IND_STRING_CLOSE] = "IND_STRING_CLOSE",
    [NX_T_ELLIPSIS] = "ELLIPSIS", [NX_T_EQ] = "EQ", [NX_T_NEQ] = "NEQ", [NX_T_LEQ] = "LEQ",
    [NX_T_GEQ] = "GEQ", [NX_T_AND] = "AND", [NX_T_OR] = "OR", [NX_T_IMPL] = "IMPL",
    [NX_T_UPDATE] = "UPDATE", [NX_T_CONCAT] = "CONCAT", [NX_T_PIPE_FROM] = "PIPE_FROM",
    [NX_T_PIPE_INTO] = "PIPE_INTO", [NX_T_IF] = "IF", [NX_T_THEN] = "THEN",
    [NX_T_ELSE] = "ELSE", [NX_T_ASSERT] = "ASSERT", [NX_T_WITH] = "WITH",
    [NX_T_LET] = "LET", [NX_T_IN] = "IN_KW", [NX_T_REC] = "REC",
    [NX_T_INHERIT] = "INHERIT", [NX_T_OR_KW] = "OR_KW", [NX_T_CHAR] = "char",
};

const char *nx_tok_name(int type)
{
    return type >= 0 && (size_t)type < NX_ARRAY_LEN(tok_names) && tok_names[type] ? tok_names[type] : "?";
}

void nx_tok_describe(const nx_token *t, char *out, size_t outlen)
{
    if (t->type == NX_T_CHAR) {
        /* Bytes the grammar never uses are "invalid token" to bison. */
        unsigned char c = t->ch;
        if (c && strchr("{}()[];:.,@?=\"<>+-*/!", c)) snprintf(out, outlen, "'%c'", c);
        else snprintf(out, outlen, "invalid token");
        return;
    }
    snprintf(out, outlen, "%s", nx_tok_name(t->type));
}
