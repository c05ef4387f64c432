/* json.c — builtins.toJSON and builtins.fromJSON. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/print_value.h"
#include "vm/store/context.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* toJSON's slots: its forcing walk (nx_json_walk: a stack, the lists and
 * sets already walked, the strings of sets with __toString, the state
 * of the coercion of a __toString result).  The walk resumes where it
 * stopped after each force, so it is linear in the value's size (a
 * restart from the top made nixos-options.nix quadratic). */
enum { S_WALK, S_NSLOTS = S_WALK + NX_JW_NSLOTS };
NX_STATES(json, "toJSON", J_START, J_WALK);

/* toJSON v: forces v depth first in the printer's order, calling each
 * __toString met, then prints and collects the contexts through the
 * strings the calls gave. */
static int step_toJSON(nx_vm *vm, nx_frame *f)
{
    if (f->state == J_START) f->state = J_WALK;
    int st = nx_json_walk(vm, f, S_WALK, ARG(0));
    if (st != -1) return st;
    nx_json_strs t = { 0 }, *tp = NULL;
    if (nx_is_list(SLOT(S_WALK + NX_JW_STRS))) {
        nx_json_strs_init(&t, nx_listp(SLOT(S_WALK + NX_JW_STRS))->v, (size_t)nx_smallint(SLOT(S_WALK + NX_JW_NSTRS)));
        tp = &t;
    }
    nx_buf b = { 0 };
    nx_ctxacc ctx = { 0 };
    char *err = NULL;
    if (!nx_print_json(vm, &b, ARG(0), tp)) {
        vm->err.pos = nx_vm_pos(vm);
        st = NX_STEP_ERROR;
    } else if (!nx_ctx_collect_deep(&ctx, ARG(0), tp, &err)) {
        st = nx_builtin_fail(vm, "%s", err);
        free(err);
    }
    nx_json_strs_free(&t);
    if (st != -1) {
        nx_buf_free(&b);
        nx_ctx_free(&ctx);
        return st;
    }
    nx_value s = nx_mk_string(b.data ? b.data : "", b.len, nx_ctx_finish(&ctx));
    nx_buf_free(&b);
    RETURN_VALUE(s);
}

nx_value nx_tojson_walk_top(const nx_frame *f);

/* The value toJSON's walk stands at (vm/trace.c: the value that failed,
 * or whose __toString was being called), or NX_NOVALUE once it is done. */
nx_value nx_tojson_walk_top(const nx_frame *f)
{
    nx_value n = SLOT(S_WALK + NX_JW_N);
    if (!nx_is_smallint(n) || !nx_smallint(n)) return NX_NOVALUE;
    return nx_deref(nx_listp(SLOT(S_WALK + NX_JW_STACK))->v[nx_smallint(n) - 1]);
}

/* ---- fromJSON ------------------------------------------------------------
 *
 * CppNix parses with nlohmann::json (SAX, strict, no comments) and
 * prints the library's exception text, so this parser reproduces that
 * library's observable behaviour: which inputs it rejects, in which order,
 * and the message for each — `[json.exception.parse_error.101] parse error
 * at line L, column C: syntax error while parsing CONTEXT - WHAT; last
 * read: 'TEXT'; expected TOKEN`.  The position and the "last read" text
 * depend on how that lexer reads bytes, so the lexer below keeps the same
 * counters: every byte read (and the end of input, each time it is read)
 * advances the column, a newline starts a new line, a byte read ahead and
 * put back is uncounted again, and the "last read" text collects every
 * byte read since the start of the last string or number token (not of
 * other tokens, nor of whitespace).  See docs/robustness.md. */

#define J_EOF (-1)

enum jtok {
    JT_NONE, JT_TRUE, JT_FALSE, JT_NULL, JT_STRING, JT_UNSIGNED, JT_INTEGER, JT_FLOAT,
    JT_LBRACKET, JT_LBRACE, JT_RBRACKET, JT_RBRACE, JT_COLON, JT_COMMA, JT_ERROR, JT_EOF,
    JT_VALUE /* only as an expected token: "'[', '{', or a literal" */
};

static const char *const jtok_name[] = {
    [JT_NONE] = "<uninitialized>", [JT_TRUE] = "true literal", [JT_FALSE] = "false literal",
    [JT_NULL] = "null literal", [JT_STRING] = "string literal", [JT_UNSIGNED] = "number literal",
    [JT_INTEGER] = "number literal", [JT_FLOAT] = "number literal", [JT_LBRACKET] = "'['",
    [JT_LBRACE] = "'{'", [JT_RBRACKET] = "']'", [JT_RBRACE] = "'}'", [JT_COLON] = "':'",
    [JT_COMMA] = "','", [JT_ERROR] = "<parse error>", [JT_EOF] = "end of input",
    [JT_VALUE] = "'[', '{', or a literal",
};

typedef struct jlex {
    const unsigned char *s;
    size_t len, next;      /* input and the index of the next byte to read */
    int cur;               /* the byte last read, or J_EOF */
    bool again;            /* cur was put back: the next read returns it */
    size_t total, col, line; /* bytes read (EOF counts), column, newlines */
    nx_buf text;           /* the "last read" bytes */
    nx_buf tok;            /* a string token's contents or a number's text */
    const char *what;      /* the lexical error */
    unsigned long long u;  /* JT_UNSIGNED */
    long long i;           /* JT_INTEGER */
    double d;              /* JT_FLOAT */
} jlex;

static int jget(jlex *l)
{
    l->total++;
    l->col++;
    if (l->again) l->again = false;
    else l->cur = l->next < l->len ? l->s[l->next++] : J_EOF;
    if (l->cur != J_EOF) nx_buf_addc(&l->text, (char)l->cur);
    if (l->cur == '\n') {
        l->line++;
        l->col = 0;
    }
    return l->cur;
}

static void junget(jlex *l)
{
    l->again = true;
    l->total--;
    if (l->col) l->col--;
    else if (l->line) l->line--;
    if (l->cur != J_EOF) l->text.len--;
}

/* Starts a string or number token: the "last read" text restarts at its
 * first byte. */
static void jstart(jlex *l)
{
    l->tok.len = 0;
    l->text.len = 0;
    nx_buf_addc(&l->text, (char)l->cur);
}

static enum jtok jfail(jlex *l, const char *what)
{
    l->what = what;
    return JT_ERROR;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after `\u`: the code unit, or -1. */
static long jhex4(jlex *l)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(jget(l));
        if (h < 0) return -1;
        v = v << 4 | h;
    }
    return v;
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

/* The names nlohmann::json gives the control characters in its message. */
static const char *const ctl_name[32] = {
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
};

/* The escapes the message suggests besides \uXXXX. */
static const char *ctl_short(int c)
{
    switch (c) {
    case '\b': return " or \\b";
    case '\t': return " or \\t";
    case '\n': return " or \\n";
    case '\f': return " or \\f";
    case '\r': return " or \\r";
    default: return "";
    }
}

/* Checks the continuation bytes of a UTF-8 sequence whose lead byte was
 * just read: `n` more bytes, the first within [lo, hi], the others within
 * [0x80, 0xBF].  Copies them to the token. */
static bool jutf8(jlex *l, int n, int lo, int hi)
{
    nx_buf_addc(&l->tok, (char)l->cur);
    for (int k = 0; k < n; k++) {
        int c = jget(l);
        int a = k ? 0x80 : lo, b = k ? 0xbf : hi;
        if (c < a || c > b) return false;
        nx_buf_addc(&l->tok, (char)c);
    }
    return true;
}

static char ctl_msg[96];

/* A string token: the opening quote was just read.  Accepts only
 * well-formed UTF-8 and escapes; a surrogate pair becomes one character. */
static enum jtok jstring(jlex *l)
{
    jstart(l);
    for (;;) {
        int c = jget(l);
        if (c == J_EOF) return jfail(l, "invalid string: missing closing quote");
        if (c == '"') return JT_STRING;
        if (c < 0x20) {
            snprintf(ctl_msg, sizeof ctl_msg,
                     "invalid string: control character U+%04X (%s) must be escaped to \\u%04X%s", (unsigned)c,
                     ctl_name[c], (unsigned)c, ctl_short(c));
            return jfail(l, ctl_msg);
        }
        if (c == '\\') {
            int e = jget(l);
            long u;
            switch (e) {
            case '"': case '\\': case '/': nx_buf_addc(&l->tok, (char)e); continue;
            case 'b': nx_buf_addc(&l->tok, '\b'); continue;
            case 'f': nx_buf_addc(&l->tok, '\f'); continue;
            case 'n': nx_buf_addc(&l->tok, '\n'); continue;
            case 'r': nx_buf_addc(&l->tok, '\r'); continue;
            case 't': nx_buf_addc(&l->tok, '\t'); continue;
            case 'u':
                u = jhex4(l);
                if (u < 0) return jfail(l, "invalid string: '\\u' must be followed by 4 hex digits");
                if (u >= 0xd800 && u <= 0xdbff) {
                    /* A high surrogate: the low one must follow at once. */
                    if (jget(l) != '\\' || jget(l) != 'u')
                        return jfail(l, "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
                    long lo = jhex4(l);
                    if (lo < 0) return jfail(l, "invalid string: '\\u' must be followed by 4 hex digits");
                    if (lo < 0xdc00 || lo > 0xdfff)
                        return jfail(l, "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
                    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                } else if (u >= 0xdc00 && u <= 0xdfff) {
                    return jfail(l, "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
                }
                put_utf8(&l->tok, (unsigned long)u);
                continue;
            default:
                return jfail(l, "invalid string: forbidden character after backslash");
            }
        }
        bool ok;
        if (c < 0x80) {
            nx_buf_addc(&l->tok, (char)c);
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) ok = jutf8(l, 1, 0x80, 0xbf);
        else if (c == 0xe0) ok = jutf8(l, 2, 0xa0, 0xbf);
        else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) ok = jutf8(l, 2, 0x80, 0xbf);
        else if (c == 0xed) ok = jutf8(l, 2, 0x80, 0x9f);
        else if (c == 0xf0) ok = jutf8(l, 3, 0x90, 0xbf);
        else if (c >= 0xf1 && c <= 0xf3) ok = jutf8(l, 3, 0x80, 0xbf);
        else if (c == 0xf4) ok = jutf8(l, 3, 0x80, 0x8f);
        else ok = false;
        if (!ok) return jfail(l, "invalid string: ill-formed UTF-8 byte");
    }
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

/* A number token: its first byte ('-' or a digit) was just read.  An
 * integer that does not fit 64 bits (unsigned if positive, signed if
 * negative) is read as a double, as nlohmann::json does. */
static enum jtok jnumber(jlex *l)
{
    jstart(l);
    enum jtok t = JT_UNSIGNED;
    int c = l->cur;
    nx_buf_addc(&l->tok, (char)c);
    if (c == '-') {
        t = JT_INTEGER;
        c = jget(l);
        if (!is_digit(c)) return jfail(l, "invalid number; expected digit after '-'");
        nx_buf_addc(&l->tok, (char)c);
    }
    if (c != '0')
        while (is_digit(c = jget(l))) nx_buf_addc(&l->tok, (char)c);
    else
        c = jget(l);
    if (c == '.') {
        t = JT_FLOAT;
        nx_buf_addc(&l->tok, '.');
        if (!is_digit(c = jget(l))) return jfail(l, "invalid number; expected digit after '.'");
        do nx_buf_addc(&l->tok, (char)c);
        while (is_digit(c = jget(l)));
    }
    if (c == 'e' || c == 'E') {
        t = JT_FLOAT;
        nx_buf_addc(&l->tok, (char)c);
        c = jget(l);
        if (c == '+' || c == '-') {
            nx_buf_addc(&l->tok, (char)c);
            if (!is_digit(c = jget(l))) return jfail(l, "invalid number; expected digit after exponent sign");
        } else if (!is_digit(c)) {
            return jfail(l, "invalid number; expected '+', '-', or digit after exponent");
        }
        do nx_buf_addc(&l->tok, (char)c);
        while (is_digit(c = jget(l)));
    }
    junget(l);
    nx_buf_addc(&l->tok, 0);
    l->tok.len--;
    errno = 0;
    if (t == JT_UNSIGNED) {
        l->u = strtoull(l->tok.data, NULL, 10);
        if (!errno) return JT_UNSIGNED;
    } else if (t == JT_INTEGER) {
        l->i = strtoll(l->tok.data, NULL, 10);
        if (!errno) return JT_INTEGER;
    }
    l->d = strtod(l->tok.data, NULL);
    return JT_FLOAT;
}

/* The rest of a literal whose first byte was read. */
static enum jtok jword(jlex *l, const char *w, enum jtok t)
{
    for (size_t k = 1; w[k]; k++)
        if (jget(l) != w[k]) return jfail(l, "invalid literal");
    return t;
}

static void jskip_ws(jlex *l)
{
    int c;
    do c = jget(l);
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/* The next token.  A NUL byte outside a string ends the input. */
static enum jtok jscan(jlex *l)
{
    if (l->total == 0) {
        /* A byte order mark may start the input. */
        if (jget(l) == 0xef) {
            if (jget(l) != 0xbb || jget(l) != 0xbf) return jfail(l, "invalid BOM; must be 0xEF 0xBB 0xBF if given");
        } else {
            junget(l);
        }
    }
    jskip_ws(l);
    switch (l->cur) {
    case '[': return JT_LBRACKET;
    case ']': return JT_RBRACKET;
    case '{': return JT_LBRACE;
    case '}': return JT_RBRACE;
    case ':': return JT_COLON;
    case ',': return JT_COMMA;
    case 't': return jword(l, "true", JT_TRUE);
    case 'f': return jword(l, "false", JT_FALSE);
    case 'n': return jword(l, "null", JT_NULL);
    case '"': return jstring(l);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': return jnumber(l);
    case 0: case J_EOF: return JT_EOF;
    default: return jfail(l, "invalid literal");
    }
}

/* The parser's error: nlohmann::json's message in `msg` (malloc'd), or
 * one of Nix's own (an integer out of range, a NUL byte in a string). */
typedef struct jp {
    jlex l;
    enum jtok t;            /* the last token */
    char *msg;
} jp;

/* A syntax error at the last token, parsing `ctx`, `want` expected. */
static void jsyntax(jp *p, const char *ctx, enum jtok want)
{
    jlex *l = &p->l;
    nx_buf b = { 0 };
    nx_buf_printf(&b, "[json.exception.parse_error.101] parse error at line %zu, column %zu: ", l->line + 1, l->col);
    if (p->t == JT_EOF && want == JT_VALUE && l->total == 1) {
        /* nlohmann::json 3.11.3 and later, as in modern CppNix's builds. */
        nx_buf_adds(&b, "attempting to parse an empty input; check that your input string or stream contains the expected JSON");
    } else {
        nx_buf_printf(&b, "syntax error while parsing %s - ", ctx);
        if (p->t == JT_ERROR) {
            nx_buf_printf(&b, "%s; last read: '", l->what);
            /* Control characters show as <U+XXXX>, other bytes as they are. */
            for (size_t k = 0; k < l->text.len; k++) {
                unsigned char c = (unsigned char)l->text.data[k];
                if (c < 0x20) nx_buf_printf(&b, "<U+%04X>", c);
                else nx_buf_addc(&b, (char)c);
            }
            nx_buf_addc(&b, '\'');
        } else {
            nx_buf_printf(&b, "unexpected %s", jtok_name[p->t]);
        }
        if (want != JT_NONE) nx_buf_printf(&b, "; expected %s", jtok_name[want]);
    }
    nx_buf_addc(&b, 0);
    p->msg = b.data;
}

static void jmsg(jp *p, const char *fmt, const char *arg)
{
    nx_buf b = { 0 };
    nx_buf_printf(&b, fmt, arg);
    nx_buf_addc(&b, 0);
    p->msg = b.data;
}

/* Nix strings cannot hold NUL (modern CppNix's forceNoNullByte, for
 * values and keys; Nix 2.8 cut the string there).  The message shows
 * each NUL as U+2400. */
static bool jno_nul(jp *p)
{
    nx_buf *t = &p->l.tok;
    if (!t->len || !memchr(t->data, 0, t->len)) return true;
    nx_buf s = { 0 };
    for (size_t k = 0; k < t->len; k++) {
        if (t->data[k]) nx_buf_addc(&s, t->data[k]);
        else nx_buf_adds(&s, "\xe2\x90\x80");
    }
    nx_buf_addc(&s, 0);
    jmsg(p, "input string '%s' cannot be represented as Nix string because it contains null bytes", s.data);
    nx_buf_free(&s);
    return false;
}

/* Containers being built: values are collected on a growable stack. */
typedef struct jframe { bool object; size_t start; } jframe;

typedef struct jstack {
    nx_value *vals;
    nx_sym *keys;
    size_t n, cap;
    jframe *frames;
    size_t nf, capf;
} jstack;

static void jpush(jstack *st, nx_sym key, nx_value v)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 64;
        st->vals = nx_xrealloc(st->vals, st->cap * sizeof *st->vals);
        st->keys = nx_xrealloc(st->keys, st->cap * sizeof *st->keys);
    }
    st->keys[st->n] = key;
    st->vals[st->n++] = v;
}

/* Closes the innermost container: its values become a list or a set
 * (a later duplicate key wins, as in CppNix) that replaces the
 * placeholder pushed when it opened.  Allocates. */
static void jclose(jstack *st)
{
    jframe fr = st->frames[--st->nf];
    size_t cnt = st->n - fr.start;
    nx_value c;
    if (fr.object) {
        nx_attrs *a = nx_alloc_attrs((uint32_t)cnt);
        uint32_t k = 0;
        for (size_t i = 0; i < cnt; i++) {
            uint32_t j = 0;
            while (j < k && a->a[j].name != st->keys[fr.start + i]) j++;
            a->a[j] = (nx_attr){ st->keys[fr.start + i], 0, st->vals[fr.start + i] };
            if (j == k) k++;
        }
        a->h.aux = k;
        nx_attrs_sort(a);
        c = k ? nx_from_obj(a) : nx_empty_attrs;
    } else {
        nx_list *li = nx_alloc_list((uint32_t)cnt);
        memcpy(li->v, st->vals + fr.start, cnt * sizeof *st->vals);
        c = cnt ? nx_from_obj(li) : nx_empty_list;
    }
    st->n = fr.start;
    st->vals[st->n - 1] = c;
}

/* Parses the whole input (nlohmann::json's SAX parser in strict mode:
 * one value, then only whitespace).  Returns the value, or
 * NX_NOVALUE with p->msg set.  Allocates; runs no Nix code, so the
 * values on its C stack are safe (no collection inside a builtin). */
static nx_value parse_json(jp *p)
{
    jlex *l = &p->l;
    jstack st = { 0 };
    nx_value result = NX_NOVALUE;
    nx_sym key = NX_SYM_NONE;
    p->t = jscan(l);
    for (;;) {
        /* A value starts at token p->t. */
        nx_value v = NX_NOVALUE;
        switch (p->t) {
        case JT_LBRACE:
        case JT_LBRACKET: {
            bool obj = p->t == JT_LBRACE;
            p->t = jscan(l);
            if (p->t == (obj ? JT_RBRACE : JT_RBRACKET)) {
                v = obj ? nx_empty_attrs : nx_empty_list;
                break;
            }
            jpush(&st, key, NX_NULL); /* the container's placeholder */
            if (st.nf == st.capf) {
                st.capf = st.capf ? st.capf * 2 : 16;
                st.frames = nx_xrealloc(st.frames, st.capf * sizeof *st.frames);
            }
            st.frames[st.nf++] = (jframe){ obj, st.n };
            if (obj) goto key;
            continue;
        }
        case JT_TRUE: v = NX_TRUE; break;
        case JT_FALSE: v = NX_FALSE; break;
        case JT_NULL: v = NX_NULL; break;
        case JT_STRING:
            if (!jno_nul(p)) goto fail;
            v = l->tok.len ? nx_mk_string(l->tok.data, l->tok.len, NULL) : nx_empty_string;
            break;
        case JT_UNSIGNED:
            if (l->u > (unsigned long long)INT64_MAX) {
                jmsg(p, "unsigned json number %s outside of Nix integer range", l->tok.data);
                goto fail;
            }
            v = nx_mk_int((long long)l->u);
            break;
        case JT_INTEGER: v = nx_mk_int(l->i); break;
        case JT_FLOAT:
            if (!isfinite(l->d)) {
                nx_buf b = { 0 };
                nx_buf_add(&b, l->text.data, l->text.len);
                nx_buf_addc(&b, 0);
                jmsg(p, "[json.exception.out_of_range.406] number overflow parsing '%s'", b.data);
                nx_buf_free(&b);
                goto fail;
            }
            v = nx_mk_float(l->d);
            break;
        case JT_ERROR: jsyntax(p, "value", JT_NONE); goto fail;
        default: jsyntax(p, "value", JT_VALUE); goto fail;
        }
        if (!st.nf) {
            result = v;
            break;
        }
        jpush(&st, key, v);
        /* After a value inside a container: a separator or its end. */
        for (;;) {
            bool obj = st.frames[st.nf - 1].object;
            p->t = jscan(l);
            if (p->t == JT_COMMA) {
                p->t = jscan(l);
                if (obj) goto key;
                goto next_value;
            }
            if (p->t != (obj ? JT_RBRACE : JT_RBRACKET)) {
                jsyntax(p, obj ? "object" : "array", obj ? JT_RBRACE : JT_RBRACKET);
                goto fail;
            }
            jclose(&st);
            if (!st.nf) {
                result = st.vals[0];
                goto done;
            }
        }
    key:
        /* An object's key (token p->t), a colon, then its value. */
        if (p->t != JT_STRING) {
            jsyntax(p, "object key", JT_STRING);
            goto fail;
        }
        if (!jno_nul(p)) goto fail;
        key = nx_sym_intern(l->tok.data ? l->tok.data : "", l->tok.len);
        p->t = jscan(l);
        if (p->t != JT_COLON) {
            jsyntax(p, "object separator", JT_COLON);
            goto fail;
        }
        p->t = jscan(l);
    next_value:
        continue;
    }
done:
    p->t = jscan(l);
    if (p->t != JT_EOF) {
        jsyntax(p, "value", JT_EOF);
        result = NX_NOVALUE;
    }
fail:
    free(st.vals);
    free(st.keys);
    free(st.frames);
    return p->msg ? NX_NOVALUE : result;
}

/* fromJSON s: the value, or an error without a position (CppNix throws
 * these from its JSON parser; under `--show-trace`, vm/trace.c adds the
 * call as "while decoding a JSON string"). */
static int step_fromJSON(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    jp p = { .l = { .s = (const unsigned char *)nx_str(ARG(0))->s, .len = nx_str_len(ARG(0)), .cur = J_EOF } };
    nx_value v = parse_json(&p);
    nx_buf_free(&p.l.text);
    nx_buf_free(&p.l.tok);
    if (v) RETURN_VALUE(v);
    if (!vm->failed) {
        nx_error_set(&vm->err, NX_NOPOS, "%s", p.msg);
        vm->failed = true;
        vm->catchable = false;
    }
    free(p.msg);
    return NX_STEP_ERROR;
}

static const nx_builtin table[] = {
    { "toJSON", 1, 1, S_NSLOTS, false, step_toJSON },
    { "fromJSON", 1, 1, 0, false, step_fromJSON },
};

const nx_builtin_table nx_builtins_json = { table, NX_ARRAY_LEN(table) };
