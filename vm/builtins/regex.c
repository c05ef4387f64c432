/* regex.c — builtins.match and builtins.split: POSIX extended regular
 * expressions (CppNix uses std::regex::extended), each distinct pattern
 * compiled once. */
#define _GNU_SOURCE /* memmem */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"

/* A compiled pattern, and for match's test "^(pattern)$" compiled with
 * REG_NOSUB (has_whole): it says whether the whole string matches without
 * computing submatches, which is most of regexec's cost. */
typedef struct cached_re {
    char *pattern;
    regex_t re;
    regex_t whole;
    bool has_whole;
} cached_re;

static cached_re *cache;
static size_t ncache, capcache;

/* Whether libstdc++'s std::regex (extended syntax), which CppNix uses,
 * rejects a pattern that glibc's regcomp accepts: a backslash outside a
 * bracket expression before anything but ^ $ \ . * + ? ( ) [ { | (glibc
 * takes \w \s \b \n \1 … as extensions or back-references, and an
 * escaped ordinary character as itself), or a bound without a minimum
 * ("{,n}").  Inside brackets a backslash is an ordinary character in both. */
static bool stdregex_rejects(const char *p)
{
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '[') {
            size_t j = i + 1;
            if (p[j] == '^') j++;
            if (p[j] == ']') j++;
            while (p[j] && p[j] != ']') {
                if (p[j] == '[' && (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
                    char d = p[j + 1];
                    size_t k = j + 2;
                    while (p[k] && !(p[k] == d && p[k + 1] == ']')) k++;
                    j = p[k] ? k + 2 : k;
                } else j++;
            }
            if (!p[j]) return false; /* unterminated: regcomp rejects it */
            i = j;
        } else if (p[i] == '\\') {
            if (!p[i + 1] || !strchr("^$\\.*+?()[{|", p[i + 1])) return true;
            i++;
        } else if (p[i] == '{' && p[i + 1] == ',') {
            return true;
        }
    }
    return false;
}

/* The cache entry of pattern (compiled on first use), or NULL with an
 * error set. */
static cached_re *compile_entry(nx_vm *vm, const char *pattern)
{
    for (size_t i = 0; i < ncache; i++)
        if (strcmp(cache[i].pattern, pattern) == 0) return &cache[i];
    if (ncache == capcache) {
        capcache = capcache ? capcache * 2 : 16;
        cache = nx_xrealloc(cache, capcache * sizeof *cache);
    }
    if (stdregex_rejects(pattern) || regcomp(&cache[ncache].re, pattern, REG_EXTENDED) != 0) {
        nx_builtin_fail(vm, "invalid regular expression '%s'", pattern);
        return NULL;
    }
    cache[ncache].pattern = nx_xstrndup(pattern, strlen(pattern));
    /* The anchored form only where wrapping cannot change the meaning: no
     * back-references (the extra group would renumber them). */
    cached_re *c = &cache[ncache++];
    c->has_whole = false;
    if (!strchr(pattern, '\\')) {
        size_t pl = strlen(pattern);
        char *w = nx_xmalloc(pl + 5);
        memcpy(w, "^(", 2);
        memcpy(w + 2, pattern, pl);
        memcpy(w + 2 + pl, ")$", 3);
        c->has_whole = regcomp(&c->whole, w, REG_EXTENDED | REG_NOSUB) == 0;
        free(w);
    }
    return c;
}

static regex_t *compile(nx_vm *vm, const char *pattern)
{
    cached_re *c = compile_entry(vm, pattern);
    return c ? &c->re : NULL;
}

/* Whether pattern (a C string: the regex compiler stops at a NUL too) is
 * a non-empty ERE without special characters, so that it matches exactly
 * its own bytes, has no groups, and its leftmost-longest match is its
 * first occurrence.  Bytes >= 0x80 are left to the regex engine (a
 * multibyte locale could treat them as characters). */
static bool is_literal(const char *pattern)
{
    if (!*pattern) return false;
    for (const unsigned char *q = (const unsigned char *)pattern; *q; q++)
        if (*q >= 0x80 || strchr(".[]()*+?{}|^$\\", *q)) return false;
    return true;
}

/* The capture groups of a match as a list (null for groups that did not
 * take part). */
static nx_value groups(const regex_t *re, const char *base, const regmatch_t *m)
{
    size_t n = re->re_nsub;
    if (n == 0) return nx_empty_list;
    nx_list *l = nx_alloc_list((uint32_t)n);
    for (size_t g = 1; g <= n; g++)
        l->v[g - 1] = m[g].rm_so < 0 ? NX_NULL : nx_mk_string(base + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so), NULL);
    return nx_from_obj(l);
}

static int step_match(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    const char *pat = nx_str(ARG(0))->s;
    if (is_literal(pat)) {
        /* The whole string must be the pattern itself; no groups. */
        size_t pl = strlen(pat);
        RETURN_VALUE(pl == nx_str_len(ARG(1)) && memcmp(pat, nx_str(ARG(1))->s, pl) == 0 ? nx_empty_list : NX_NULL);
    }
    cached_re *c = compile_entry(vm, pat);
    if (!c) return NX_STEP_ERROR;
    regex_t *re = &c->re;
    const char *s = nx_str(ARG(1))->s;
    size_t len = nx_str_len(ARG(1));
    if (c->has_whole) {
        /* Does the whole string match?  Without submatches; a pattern
         * without groups needs nothing more. */
        regmatch_t w = { 0, (regoff_t)len };
        if (regexec(&c->whole, s, 1, &w, REG_STARTEND) != 0) RETURN_VALUE(NX_NULL);
        if (re->re_nsub == 0) RETURN_VALUE(nx_empty_list);
    }
    regmatch_t *m = nx_xmalloc((re->re_nsub + 1) * sizeof *m);
    /* The whole string must match: with leftmost-longest matching, a full
     * match exists iff the match found starts at 0 and reaches the end. */
    nx_value r = NX_NULL;
    m[0].rm_so = 0;
    m[0].rm_eo = (regoff_t)len;
    if (regexec(re, s, re->re_nsub + 1, m, REG_STARTEND) == 0 && m[0].rm_so == 0 && (size_t)m[0].rm_eo == len)
        r = groups(re, s, m);
    free(m);
    RETURN_VALUE(r);
}

static int step_split(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    const char *s = nx_str(ARG(1))->s;
    size_t len = nx_str_len(ARG(1));
    const char *pat = nx_str(ARG(0))->s;
    if (is_literal(pat)) {
        /* Every occurrence, left to right, without overlaps: the pieces
         * between them, each occurrence giving an empty group list (as
         * regexec finds: a literal's leftmost-longest match is its first
         * occurrence, and it is never empty). */
        size_t pl = strlen(pat), count = 0, at = 0;
        const char *h;
        while (at + pl <= len && (h = memmem(s + at, len - at, pat, pl))) {
            count++;
            at = (size_t)(h - s) + pl;
        }
        nx_list *l = nx_alloc_list((uint32_t)(2 * count + 1));
        size_t k = 0, prev = 0;
        for (size_t c = 0; c < count; c++) {
            h = memmem(s + prev, len - prev, pat, pl);
            size_t so = (size_t)(h - s);
            l->v[k++] = nx_mk_string(s + prev, so - prev, NULL);
            l->v[k++] = nx_empty_list;
            prev = so + pl;
        }
        l->v[k] = nx_mk_string(s + prev, len - prev, NULL);
        RETURN_VALUE(nx_from_obj(l));
    }
    regex_t *re = compile(vm, pat);
    if (!re) return NX_STEP_ERROR;
    regmatch_t *m = nx_xmalloc((re->re_nsub + 1) * sizeof *m);
    size_t cap = 16, n = 0;
    nx_value *out = nx_xmalloc(cap * sizeof *out);
    size_t prev = 0, pos = 0;
    while (pos <= len) {
        /* REG_STARTEND: search s[pos, len) without regexec measuring the
         * rest of the string each time (that made split quadratic). */
        m[0].rm_so = (regoff_t)pos;
        m[0].rm_eo = (regoff_t)len;
        if (regexec(re, s, re->re_nsub + 1, m, REG_STARTEND | (pos ? REG_NOTBOL : 0)) != 0) break;
        size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
        if (n + 2 >= cap) {
            cap *= 2;
            out = nx_xrealloc(out, cap * sizeof *out);
        }
        out[n++] = nx_mk_string(s + prev, so - prev, NULL);
        out[n++] = groups(re, s, m);
        prev = eo;
        /* After an empty match, the next one starts one character on. */
        pos = eo > so ? eo : eo + 1;
    }
    if (n + 1 >= cap) out = nx_xrealloc(out, (cap + 1) * sizeof *out);
    out[n++] = nx_mk_string(s + prev, len - prev, NULL);
    free(m);
    nx_list *l = nx_alloc_list((uint32_t)n);
    memcpy(l->v, out, n * sizeof *out);
    free(out);
    RETURN_VALUE(nx_from_obj(l));
}

static const nx_builtin table[] = {
    { "match", 2, 3, 0, false, step_match },
    { "split", 2, 3, 0, false, step_split },
};

const nx_builtin_table nx_builtins_regex = { table, NX_ARRAY_LEN(table) };
