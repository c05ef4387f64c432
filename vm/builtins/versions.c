/* versions.c — compareVersions, splitVersion, parseDrvName: Nix's version
 * ordering (components are digit runs or non-digit runs, split at '.' and
 * '-'; "pre" sorts before anything, a missing component before a number,
 * a number after letters). */
#include <ctype.h>
#include <string.h>

#include "vm/builtins/builtins.h"

/* The next component of [*p, end), skipping separators. */
static void next_component(const char **p, const char *end, const char **s, size_t *len)
{
    while (*p < end && (**p == '.' || **p == '-')) (*p)++;
    *s = *p;
    if (*p < end) {
        if (isdigit((unsigned char)**p))
            while (*p < end && isdigit((unsigned char)**p)) (*p)++;
        else
            while (*p < end && !isdigit((unsigned char)**p) && **p != '.' && **p != '-') (*p)++;
    }
    *len = (size_t)(*p - *s);
}

/* A component as a number (digits only, fitting an int), or -1. */
static long as_number(const char *s, size_t len)
{
    if (!len || len > 9) return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool is(const char *s, size_t len, const char *lit) { return len == strlen(lit) && memcmp(s, lit, len) == 0; }

static bool component_lt(const char *a, size_t la, const char *b, size_t lb)
{
    long na = as_number(a, la), nb = as_number(b, lb);
    if (na >= 0 && nb >= 0) return na < nb;
    if (la == 0 && nb >= 0) return true;
    if (is(a, la, "pre") && !is(b, lb, "pre")) return true;
    if (is(b, lb, "pre")) return false;
    if (nb >= 0) return true;
    if (na >= 0) return false;
    int c = memcmp(a, b, la < lb ? la : lb);
    return c < 0 || (c == 0 && la < lb);
}

static int compare_versions(const char *v1, size_t l1, const char *v2, size_t l2)
{
    const char *p1 = v1, *e1 = v1 + l1, *p2 = v2, *e2 = v2 + l2;
    while (p1 < e1 || p2 < e2) {
        const char *c1, *c2;
        size_t n1, n2;
        next_component(&p1, e1, &c1, &n1);
        next_component(&p2, e2, &c2, &n2);
        if (component_lt(c1, n1, c2, n2)) return -1;
        if (component_lt(c2, n2, c1, n1)) return 1;
    }
    return 0;
}

static int step_compareVersions(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_string(ARG(1)), "a string");
    RETURN_VALUE(nx_mk_int(compare_versions(nx_str(ARG(0))->s, nx_str_len(ARG(0)), nx_str(ARG(1))->s, nx_str_len(ARG(1)))));
}

static int step_splitVersion(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const char *p = nx_str(ARG(0))->s, *e = p + nx_str_len(ARG(0));
    nx_list *tmp = nx_alloc_list(nx_str_len(ARG(0)) + 1);
    uint32_t n = 0;
    while (p < e) {
        const char *c;
        size_t len;
        next_component(&p, e, &c, &len);
        if (!len) break;
        tmp->v[n++] = nx_mk_string(c, len, NULL);
    }
    tmp->h.aux = n;
    RETURN_VALUE(n ? nx_from_obj(tmp) : nx_empty_list);
}

static int step_parseDrvName(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const char *s = nx_str(ARG(0))->s;
    size_t len = nx_str_len(ARG(0)), cut = len;
    /* The name ends at the first '-' not followed by a letter. */
    for (size_t i = 0; i < len; i++)
        if (s[i] == '-' && i + 1 < len && !isalpha((unsigned char)s[i + 1])) {
            cut = i;
            break;
        }
    nx_attrs *a = nx_alloc_attrs(2);
    a->a[0] = (nx_attr){ nx_sym_intern_cstr("name"), 0, nx_mk_string(s, cut, NULL) };
    a->a[1] = (nx_attr){ nx_sym_intern_cstr("version"), 0,
                         cut < len ? nx_mk_string(s + cut + 1, len - cut - 1, NULL) : nx_empty_string };
    nx_attrs_sort(a);
    RETURN_VALUE(nx_from_obj(a));
}

static const nx_builtin table[] = {
    { "compareVersions", 2, 3, 0, false, step_compareVersions },
    { "splitVersion", 1, 1, 0, false, step_splitVersion },
    { "parseDrvName", 1, 1, 0, false, step_parseDrvName },
};

const nx_builtin_table nx_builtins_versions = { table, NX_ARRAY_LEN(table) };
