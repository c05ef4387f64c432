/* json.c — builtins.toJSON and builtins.fromJSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/print_value.h"
#include "vm/store/context.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* Slots of toJSON's forcing walk: the values still to visit (a list used
 * as a growable stack, and its depth) and the lists and sets already
 * walked (an open-addressing table of object addresses in the bytes of a
 * string object, which the collector does not trace — the objects are
 * reachable from the argument — and its count).  The walk resumes where
 * it stopped after each force, so it is linear in the value's size (a
 * restart from the top made nixos-options.nix quadratic). */
enum { S_STACK, S_N, S_SEEN, S_NSEEN, S_NSLOTS };
enum { J_START, J_WALK };

/* toJSON v: forces v depth first in the printer's order (a set with an
 * outPath only through it), then prints and collects the contexts. */
static int step_toJSON(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    if (f->state == J_START) {
        SLOT(S_STACK) = nx_walk_list(64);
        SLOT(S_N) = MKI(0);
        SLOT(S_SEEN) = nx_walk_table(256);
        SLOT(S_NSEEN) = MKI(0);
        nx_walk_push(f, S_STACK, S_N, ARG(0));
        f->state = J_WALK;
    }
    for (;;) {
        uint32_t n = (uint32_t)I(SLOT(S_N));
        if (n == 0) break;
        nx_value *top = &nx_listp(SLOT(S_STACK))->v[n - 1];
        nx_value v = *top;
        NEED(v);
        SLOT(S_N) = MKI(n - 1);
        if (nx_is_attrs(v)) {
            nx_attr *o = nx_attrs_get(nx_attrsp(v), s_outpath);
            if (o) nx_walk_push(f, S_STACK, S_N, o->value);
            else if (nx_walk_seen_add(f, S_SEEN, S_NSEEN, v))
                for (uint32_t i = nx_attrsp(v)->h.aux; i-- > 0;) nx_walk_push(f, S_STACK, S_N, nx_attrsp(v)->a[i].value);
        } else if (nx_is_list(v) && nx_walk_seen_add(f, S_SEEN, S_NSEEN, v))
            for (uint32_t i = nx_list_len(v); i-- > 0;) nx_walk_push(f, S_STACK, S_N, nx_listp(v)->v[i]);
    }
    nx_buf b = { 0 };
    if (!nx_print_json(vm, &b, ARG(0))) {
        nx_buf_free(&b);
        vm->err.pos = nx_vm_pos(vm);
        return NX_STEP_ERROR;
    }
    nx_ctxacc ctx = { 0 };
    char *err = NULL;
    if (!nx_ctx_collect_deep(&ctx, ARG(0), &err)) {
        nx_buf_free(&b);
        nx_ctx_free(&ctx);
        int st = nx_builtin_fail(vm, "%s", err);
        free(err);
        return st;
    }
    nx_value s = nx_mk_string(b.data, b.len, nx_ctx_finish(&ctx));
    nx_buf_free(&b);
    RETURN_VALUE(s);
}

/* ---- fromJSON: a recursive-descent parser on an explicit stack ---------- */

typedef struct jp {
    const char *s, *end;
    const char *err;
    bool bad_unsigned;     /* the error is an unsigned number out of range */
    const char *num;       /* where that number starts */
    nx_buf nul;            /* a string with a NUL byte (modern CppNix's error) */
} jp;

static void skip_ws(jp *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) p->s++;
}

static void put_utf8(nx_buf *b, unsigned long c)
{
    if (c < 0x80) nx_buf_addc(b, (char)c);
    else if (c < 0x800) {
        nx_buf_addc(b, (char)(0xc0 | (c >> 6)));
        nx_buf_addc(b, (char)(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
        nx_buf_addc(b, (char)(0xe0 | (c >> 12)));
        nx_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        nx_buf_addc(b, (char)(0x80 | (c & 0x3f)));
    } else {
        nx_buf_addc(b, (char)(0xf0 | (c >> 18)));
        nx_buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
        nx_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        nx_buf_addc(b, (char)(0x80 | (c & 0x3f)));
    }
}

static bool hex4(jp *p, unsigned long *out)
{
    if (p->end - p->s < 4) return false;
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
        else return false;
    }
    p->s += 4;
    *out = v;
    return true;
}

/* Parses a JSON string (p->s at the opening quote) into b. */
static bool string_lit(jp *p, nx_buf *b)
{
    p->s++;
    while (p->s < p->end && *p->s != '"') {
        unsigned char c = (unsigned char)*p->s++;
        if (c < 0x20) { p->err = "control character in string"; return false; }
        if (c != '\\') { nx_buf_addc(b, (char)c); continue; }
        if (p->s >= p->end) break;
        char e = *p->s++;
        switch (e) {
        case '"': case '\\': case '/': nx_buf_addc(b, e); break;
        case 'b': nx_buf_addc(b, '\b'); break;
        case 'f': nx_buf_addc(b, '\f'); break;
        case 'n': nx_buf_addc(b, '\n'); break;
        case 'r': nx_buf_addc(b, '\r'); break;
        case 't': nx_buf_addc(b, '\t'); break;
        case 'u': {
            unsigned long u, lo;
            if (!hex4(p, &u)) { p->err = "invalid \\u escape"; return false; }
            if (u >= 0xd800 && u < 0xdc00) {
                if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u') { p->err = "unpaired surrogate"; return false; }
                p->s += 2;
                if (!hex4(p, &lo) || lo < 0xdc00 || lo >= 0xe000) { p->err = "unpaired surrogate"; return false; }
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            } else if (u >= 0xdc00 && u < 0xe000) {
                p->err = "unpaired surrogate";
                return false;
            }
            put_utf8(b, u);
            break;
        }
        default: p->err = "invalid escape"; return false;
        }
    }
    if (p->s >= p->end) { p->err = "unterminated string"; return false; }
    p->s++;
    /* Nix strings cannot hold NUL (modern CppNix's forceNoNullByte; 2.8
     * cut the string there).  The message shows each NUL as U+2400. */
    if (b->len && memchr(b->data, 0, b->len)) {
        for (size_t i = 0; i < b->len; i++) {
            if (b->data[i]) nx_buf_addc(&p->nul, b->data[i]);
            else nx_buf_adds(&p->nul, "\xe2\x90\x80");
        }
        nx_buf_addc(&p->nul, 0);
        p->err = "null byte";
        return false;
    }
    return true;
}

static nx_value number(jp *p)
{
    const char *start = p->s;
    p->num = start;
    bool is_float = false;
    if (p->s < p->end && *p->s == '-') p->s++;
    if (p->s >= p->end || !(*p->s >= '0' && *p->s <= '9')) { p->err = "invalid number"; return NX_NOVALUE; }
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    if (p->s < p->end && *p->s == '.') {
        is_float = true;
        p->s++;
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    }
    if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
        is_float = true;
        p->s++;
        if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    }
    char buf[128];
    size_t len = (size_t)(p->s - start);
    if (len >= sizeof buf) { p->err = "number too long"; return NX_NOVALUE; }
    memcpy(buf, start, len);
    buf[len] = 0;
    errno = 0;
    if (is_float) {
        double d = strtod(buf, NULL);
        if (errno) { p->err = "number out of range"; return NX_NOVALUE; }
        return nx_mk_float(d);
    }
    long long i = strtoll(buf, NULL, 10);
    if (!errno) return nx_mk_int(i);
    /* Like CppNix (nlohmann::json): an unsigned 64-bit number that does
     * not fit is an error, anything larger becomes a float. */
    if (buf[0] != '-') {
        errno = 0;
        (void)strtoull(buf, NULL, 10);
        if (!errno) {
            p->err = "out of range";
            p->bad_unsigned = true;
            return NX_NOVALUE;
        }
    }
    return nx_mk_float(strtod(buf, NULL));
}

static bool literal(jp *p, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0) return false;
    p->s += n;
    return true;
}

/* Containers being built: values are collected on a growable stack. */
typedef struct frame { bool object; size_t start; } jframe;

static nx_value parse_json(jp *p)
{
    size_t capv = 64, nv = 0, capf = 16, nf = 0;
    nx_value *vals = nx_xmalloc(capv * sizeof *vals);
    nx_sym *keys = nx_xmalloc(capv * sizeof *keys);
    jframe *frames = nx_xmalloc(capf * sizeof *frames);
    nx_value result = NX_NOVALUE;
    nx_sym key = NX_SYM_NONE;
    for (;;) {
        skip_ws(p);
        if (nf && frames[nf - 1].object) {
            /* Expecting a key or the end of the object. */
            if (p->s < p->end && *p->s == '}' && nv == frames[nf - 1].start) goto close;
            if (p->s >= p->end || *p->s != '"') { p->err = "expected a string key"; break; }
            nx_buf kb = { 0 };
            if (!string_lit(p, &kb)) { nx_buf_free(&kb); break; }
            key = nx_sym_intern(kb.data ? kb.data : "", kb.len);
            nx_buf_free(&kb);
            skip_ws(p);
            if (p->s >= p->end || *p->s != ':') { p->err = "expected ':'"; break; }
            p->s++;
            skip_ws(p);
        } else if (nf && p->s < p->end && *p->s == ']' && nv == frames[nf - 1].start) {
            goto close;
        }
        if (p->s >= p->end) { p->err = "unexpected end of input"; break; }
        {
            nx_value v = NX_NOVALUE;
            char c = *p->s;
            if (c == '{' || c == '[') {
                if (nf == capf) {
                    capf *= 2;
                    frames = nx_xrealloc(frames, capf * sizeof *frames);
                }
                if (nv == capv) {
                    capv *= 2;
                    vals = nx_xrealloc(vals, capv * sizeof *vals);
                    keys = nx_xrealloc(keys, capv * sizeof *keys);
                }
                /* The container's own key waits in keys[nv] (pushed with
                 * a placeholder value replaced when it closes). */
                keys[nv] = key;
                vals[nv++] = NX_NULL;
                frames[nf++] = (jframe){ c == '{', nv };
                p->s++;
                continue;
            } else if (c == '"') {
                nx_buf sb = { 0 };
                if (!string_lit(p, &sb)) { nx_buf_free(&sb); break; }
                v = sb.len ? nx_mk_string(sb.data, sb.len, NULL) : nx_empty_string;
                nx_buf_free(&sb);
            } else if (literal(p, "true")) v = NX_TRUE;
            else if (literal(p, "false")) v = NX_FALSE;
            else if (literal(p, "null")) v = NX_NULL;
            else {
                v = number(p);
                if (!v) break;
            }
            if (!nf) { result = v; break; }
            if (nv == capv) {
                capv *= 2;
                vals = nx_xrealloc(vals, capv * sizeof *vals);
                keys = nx_xrealloc(keys, capv * sizeof *keys);
            }
            keys[nv] = key;
            vals[nv++] = v;
        }
    after_value:
        skip_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == (frames[nf - 1].object ? '}' : ']')) goto close;
        p->err = "expected ',' or the end of a container";
        break;
    close: {
            jframe fr = frames[--nf];
            size_t cnt = nv - fr.start;
            nx_value c;
            if (fr.object) {
                nx_attrs *a = nx_alloc_attrs((uint32_t)cnt);
                /* Later duplicates win, as in CppNix. */
                uint32_t k = 0;
                for (size_t i = 0; i < cnt; i++) {
                    uint32_t j = 0;
                    while (j < k && a->a[j].name != keys[fr.start + i]) j++;
                    a->a[j] = (nx_attr){ keys[fr.start + i], 0, vals[fr.start + i] };
                    if (j == k) k++;
                }
                a->h.aux = k;
                nx_attrs_sort(a);
                c = k ? nx_from_obj(a) : nx_empty_attrs;
            } else {
                nx_list *l = nx_alloc_list((uint32_t)cnt);
                memcpy(l->v, vals + fr.start, cnt * sizeof *vals);
                c = cnt ? nx_from_obj(l) : nx_empty_list;
            }
            p->s++;
            nv = fr.start;
            /* Replace the placeholder pushed when the container opened. */
            vals[nv - 1] = c;
            key = keys[nv - 1];
            if (!nf) {
                result = c;
                break;
            }
            goto after_value;
        }
    }
    free(vals);
    free(keys);
    free(frames);
    if (result) {
        skip_ws(p);
        if (p->s != p->end && !p->err) {
            p->err = "trailing characters";
            result = NX_NOVALUE;
        }
    }
    return result;
}

static int step_fromJSON(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    jp p = { nx_str(ARG(0))->s, nx_str(ARG(0))->s + nx_str_len(ARG(0)), NULL, false, NULL, { 0 } };
    nx_value v = parse_json(&p);
    /* Both are plain Errors without a position in CppNix (the "while
     * calling the 'fromJSON' builtin" entry has it). */
    if (!v && p.bad_unsigned) {
        nx_builtin_fail(vm, "unsigned json number %.*s outside of Nix integer range", (int)(p.s - p.num), p.num);
        vm->err.pos = NX_NOPOS;
        return NX_STEP_ERROR;
    }
    if (!v && p.nul.data) {
        nx_builtin_fail(vm, "input string '%s' cannot be represented as Nix string because it contains null bytes",
                        p.nul.data);
        nx_buf_free(&p.nul);
        vm->err.pos = NX_NOPOS;
        return NX_STEP_ERROR;
    }
    if (!v) FAIL("invalid JSON: %s at byte %zu", p.err ? p.err : "syntax error", (size_t)(p.s - nx_str(ARG(0))->s));
    RETURN_VALUE(v);
}

static const nx_builtin table[] = {
    { "toJSON", 1, 1, S_NSLOTS, false, step_toJSON },
    { "fromJSON", 1, 1, 0, false, step_fromJSON },
};

const nx_builtin_table nx_builtins_json = { table, NX_ARRAY_LEN(table) };
