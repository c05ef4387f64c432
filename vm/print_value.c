/* print_value.c — the --eval printer.  Runs in the driver (outside the
 * dispatch loop), so it may force values through nx_vm_force. */
#include "vm/store/path.h"
#include "vm/print_value.h"

#include <stdlib.h>
#include <string.h>

#include "vm/code.h"
#include "vm/heap.h"
#include "vm/ops.h"
#include "vm/print_ast.h"
#include "vm/store/context.h"
#include "vm/source.h"

bool nx_force_deep(nx_vm *vm, nx_value *root, bool trace)
{
    if (!nx_vm_force(vm, root)) return false;
    nx_ptrset seen = { 0 };
    size_t cap = 256, n = 0;
    nx_value **work = nx_xmalloc(cap * sizeof *work);
    work[n++] = root;
    bool ok = true;
    while (n && ok) {
        nx_value *slot = work[--n];
        if (!nx_vm_force(vm, slot)) {
            if (trace) nx_trace_deep(vm, root, slot);
            ok = false;
            break;
        }
        nx_value v = *slot;
        if (nx_is_type(v, NX_OBJ_CLOSURE)) nx_obj_of(v)->flags &= (uint16_t)~NX_CLOSURE_LAZY;
        if (!nx_is_list(v) && !nx_is_attrs(v)) continue;
        if (!nx_ptrset_add(&seen, nx_obj_of(v))) continue;
        uint32_t m = nx_is_list(v) ? nx_list_len(v) : nx_attrsp(v)->h.aux;
        if (n + m >= cap) {
            cap = (n + m) * 2;
            work = nx_xrealloc(work, cap * sizeof *work);
        }
        /* Reverse order: forced (and errors raised) front to back. */
        for (uint32_t i = m; i-- > 0;)
            work[n++] = nx_is_list(v) ? &nx_listp(v)->v[i] : &nx_attrsp(v)->a[i].value;
    }
    free(work);
    free(seen.v);
    return ok;
}

/* printLiteralString: escapes ", \, newline, CR, tab and "${". */
static void print_string(nx_buf *b, const char *s, size_t len)
{
    nx_buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"' || c == '\\') {
            nx_buf_addc(b, '\\');
            nx_buf_addc(b, c);
        } else if (c == '\n') nx_buf_add(b, "\\n", 2);
        else if (c == '\r') nx_buf_add(b, "\\r", 2);
        else if (c == '\t') nx_buf_add(b, "\\t", 2);
        else if (c == '$' && i + 1 < len && s[i + 1] == '{') nx_buf_add(b, "\\$", 2);
        else nx_buf_addc(b, c);
    }
    nx_buf_addc(b, '"');
}

static bool is_keyword(const char *s, size_t n)
{
    static const char *const kw[] = { "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit" };
    for (size_t i = 0; i < NX_ARRAY_LEN(kw); i++)
        if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0) return true;
    return false;
}

static void print_attr_name(nx_buf *b, nx_sym s)
{
    const char *p = nx_sym_str(s);
    size_t n = nx_sym_len(s);
    bool plain = n > 0 && !is_keyword(p, n) && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') || p[0] == '_');
    for (size_t i = 1; plain && i < n; i++) {
        char c = p[i];
        plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '\'' || c == '-';
    }
    if (plain) nx_buf_add(b, p, n);
    else print_string(b, p, n);
}

static void print(nx_buf *b, nx_value v, nx_ptrset *seen)
{
    v = nx_deref(v);
    if (nx_is_int(v)) {
        char d[24];
        nx_buf_add(b, d, nx_fmt_int(d, nx_int_val(v)));
        return;
    }
    if (v == NX_NULL) { nx_buf_adds(b, "null"); return; }
    if (v == NX_TRUE) { nx_buf_adds(b, "true"); return; }
    if (v == NX_FALSE) { nx_buf_adds(b, "false"); return; }
    switch (nx_objtype_of(v)) {
    case NX_OBJ_FLOAT:
        nx_buf_printf(b, "%g", nx_float_val(v));
        return;
    case NX_OBJ_STRING:
        print_string(b, nx_str(v)->s, nx_str_len(v));
        return;
    case NX_OBJ_PATH:
        nx_buf_add(b, nx_str(v)->s, nx_str_len(v));
        return;
    case NX_OBJ_ATTRS: {
        nx_attrs *a = nx_attrsp(v);
        if (a->h.aux && !nx_ptrset_add(seen, a)) {
            nx_buf_adds(b, "«repeated»");
            return;
        }
        nx_buf_adds(b, "{ ");
        nx_attr **order = nx_attrs_by_name(a);
        for (uint32_t i = 0; i < a->h.aux; i++) {
            print_attr_name(b, order[i]->name);
            nx_buf_adds(b, " = ");
            print(b, order[i]->value, seen);
            nx_buf_adds(b, "; ");
        }
        free(order);
        nx_buf_addc(b, '}');
        return;
    }
    case NX_OBJ_LIST: {
        nx_list *l = nx_listp(v);
        if (l->h.aux && !nx_ptrset_add(seen, l)) {
            nx_buf_adds(b, "«repeated»");
            return;
        }
        nx_buf_adds(b, "[ ");
        for (uint32_t i = 0; i < l->h.aux; i++) {
            print(b, l->v[i], seen);
            nx_buf_addc(b, ' ');
        }
        nx_buf_addc(b, ']');
        return;
    }
    case NX_OBJ_CLOSURE:
        /* A lambda CppNix would still hold in an unevaluated thunk. */
        nx_buf_adds(b, (nx_obj_of(v)->flags & NX_CLOSURE_LAZY) ? "<CODE>" : "<LAMBDA>");
        return;
    case NX_OBJ_PRIMOP:
        nx_buf_adds(b, "<PRIMOP>");
        return;
    case NX_OBJ_PAPP:
        nx_buf_adds(b, "<PRIMOP-APP>");
        return;
    case NX_OBJ_THUNK:
        nx_buf_adds(b, nx_obj_of(v)->aux == NX_THUNK_BLACKHOLE ? "«potential infinite recursion»" : "<CODE>");
        return;
    }
    nx_buf_adds(b, "«unknown»");
}

void nx_print_value(nx_buf *out, nx_value v)
{
    nx_ptrset seen = { 0 };
    print(out, v, &seen);
    free(seen.v);
}

/* ---- JSON (--json) -------------------------------------------------------- */

static void json_string(nx_buf *b, const char *s, size_t len);

/* Appends s as a JSON string; false (vm->err set) if s is not UTF-8, with
 * the message of nlohmann::json's writer that modern CppNix shows (2.8
 * wrote the bytes as they are). */
static bool json_string_checked(nx_vm *vm, nx_buf *b, const char *s, size_t len)
{
    ptrdiff_t bad = nx_utf8_error(s, len);
    if (bad >= 0) {
        if ((size_t)bad == len)
            nx_vm_error(vm, NX_NOPOS, "[json.exception.type_error.316] incomplete UTF-8 string; last byte: 0x%02X",
                        (unsigned char)s[len - 1]);
        else
            nx_vm_error(vm, NX_NOPOS, "[json.exception.type_error.316] invalid UTF-8 byte at index %zu: 0x%02X",
                        (size_t)bad, (unsigned char)s[bad]);
        return false;
    }
    json_string(b, s, len);
    return true;
}

static void json_string(nx_buf *b, const char *s, size_t len)
{
    nx_buf_reserve(b, len + 2);
    nx_buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        /* Runs of bytes that need no escape are copied at once. */
        size_t j = i;
        while (j < len && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\') j++;
        if (j > i) {
            nx_buf_add(b, s + i, j - i);
            i = j;
            if (i == len) break;
        }
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': nx_buf_adds(b, "\\\""); break;
        case '\\': nx_buf_adds(b, "\\\\"); break;
        case '\n': nx_buf_adds(b, "\\n"); break;
        case '\r': nx_buf_adds(b, "\\r"); break;
        case '\t': nx_buf_adds(b, "\\t"); break;
        case '\b': nx_buf_adds(b, "\\b"); break;
        case '\f': nx_buf_adds(b, "\\f"); break;
        default:
            if (c < 0x20) nx_buf_printf(b, "\\u%04x", c);
            else nx_buf_addc(b, (char)c);
        }
    }
    nx_buf_addc(b, '"');
}

void nx_json_strs_init(nx_json_strs *t, const nx_value *pairs, size_t n)
{
    t->cap = 16;
    while (t->cap < n) t->cap *= 2;
    t->key = nx_xmalloc(t->cap * sizeof *t->key);
    t->str = nx_xmalloc(t->cap * sizeof *t->str);
    memset(t->key, 0, t->cap * sizeof *t->key);
    for (size_t i = 0; i + 1 < n; i += 2) {
        size_t h = nx_ptr_slot(pairs[i], t->cap);
        while (t->key[h] && t->key[h] != pairs[i]) h = (h + 1) & (t->cap - 1);
        t->key[h] = pairs[i];
        t->str[h] = pairs[i + 1];
    }
}

nx_value nx_json_strs_get(const nx_json_strs *t, nx_value set)
{
    if (!t || !t->cap) return NX_NOVALUE;
    for (size_t h = nx_ptr_slot(set, t->cap); t->key[h]; h = (h + 1) & (t->cap - 1))
        if (t->key[h] == set) return t->str[h];
    return NX_NOVALUE;
}

void nx_json_strs_free(nx_json_strs *t)
{
    free(t->key);
    free(t->str);
    memset(t, 0, sizeof *t);
}

/* The driver's __toString result being coerced: the one value the
 * printer makes that nothing else holds, across the forces it needs. */
static nx_value tostring_root;

/* The driver's tryAttrsToString(coerceMore = false, copyToStore =
 * false) of set, whose __toString is fn: calls it and coerces the result
 * (a string with its context, a path as its text, a set through its own
 * __toString or outPath), forcing what that needs; pos is where the
 * printer is (for the trace).  Runs the VM; false with vm->err set on
 * error.  *out is unrooted: print it at once. */
static bool driver_tostring(nx_vm *vm, nx_value fn, nx_value set, nx_pos pos, nx_value *out)
{
    static bool rooted;
    if (!rooted) {
        nx_gc_add_root(&tostring_root);
        rooted = true;
    }
    tostring_root = nx_mk_app_thunk(fn, set);
    uint32_t calls = 1;
    bool ok = false;
    for (;;) {
        if (!nx_vm_force(vm, &tostring_root)) break;
        nx_buf b = { 0 };
        nx_ctxacc ctx = { 0 };
        nx_value pending = NX_NOVALUE;
        int r = nx_coerce_to_string(vm, &b, &ctx, tostring_root, NX_COERCE_PATH_TEXT, &pending);
        if (r == 1) *out = nx_mk_string(b.data ? b.data : "", b.len, nx_ctx_finish(&ctx));
        nx_buf_free(&b);
        nx_ctx_free(&ctx);
        if (r == 1) ok = true;
        if (r == 0 && vm->err.msg && strncmp(vm->err.msg, "cannot coerce ", 14) == 0) {
            /* coerceToString's context for the type error. */
            nx_error_add_trace(&vm->err, pos, false, "while evaluating the result of the `__toString` attribute");
            vm->err.pos = NX_NOPOS;
        }
        if (r >= 0) break;
        if (r == -1) {
            /* Kept alive by the result it is inside. */
            if (!nx_vm_force(vm, &pending)) break;
        } else if (++calls > 10000) {
            /* A __toString returning its own set: CppNix's C++ stack. */
            nx_vm_error(vm, NX_NOPOS, "stack overflow (possible infinite recursion)");
            break;
        } else {
            tostring_root = pending;
        }
    }
    tostring_root = NX_NULL;
    return ok;
}

/* How json() prints: t, the strings of sets with __toString (NULL:
 * none); drive, whether it runs in the driver and calls __toString
 * itself; force, CppNix's printValueAsJSON with strict (the driver's
 * `--json --strict`): each value is forced when printed, and an error
 * inside a set's attribute or a list's element gets its entry ("while
 * evaluating attribute 'a'" at a's position, "while evaluating list
 * element at index N" at pos, the position of the list's own attribute).
 * Without force, values must be forced already. */
typedef struct jctx {
    nx_vm *vm;
    const nx_json_strs *t;
    bool drive, force;
} jctx;

/* The string the set v prints as: the one its walk recorded (c->t), or
 * in the driver the result of calling its __toString.  1 with *out the
 * string, -1 if v has none (it prints as a set), 0 on an error.  Out of
 * line: toJSON without such sets, and structured derivations, pass no
 * table and never come here. */
static __attribute__((noinline)) int attrs_string(const jctx *c, nx_value v, nx_pos pos, nx_value *out)
{
    static nx_sym s_tostring;
    if (!s_tostring) s_tostring = nx_sym_intern_cstr("__toString");
    *out = nx_json_strs_get(c->t, v);
    if (*out != NX_NOVALUE) return 1;
    nx_attr *ts = c->drive ? nx_attrs_find(v, s_tostring) : NULL;
    if (!ts) return -1;
    return driver_tostring(c->vm, ts->value, v, pos, out);
}

/* The JSON of *slot (see jctx). */
static bool json(const jctx *c, nx_buf *b, nx_value *slot, int depth, nx_pos pos)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    nx_vm *vm = c->vm;
    if (depth > 100000) {
        /* A cyclic value: CppNix overflows its stack. */
        nx_vm_error(vm, NX_NOPOS, "stack overflow (possible infinite recursion)");
        return false;
    }
    /* Forcing may collect: everything below is reachable from the root. */
    if (c->force && nx_needs_force(nx_deref(*slot)) && !nx_vm_force(vm, slot)) return false;
    nx_value v = nx_deref(*slot);
    if (nx_is_int(v)) {
        char d[24];
        nx_buf_add(b, d, nx_fmt_int(d, nx_int_val(v)));
        return true;
    }
    if (v == NX_NULL) { nx_buf_adds(b, "null"); return true; }
    if (v == NX_TRUE) { nx_buf_adds(b, "true"); return true; }
    if (v == NX_FALSE) { nx_buf_adds(b, "false"); return true; }
    switch (nx_objtype_of(v)) {
    case NX_OBJ_FLOAT:
        nx_buf_printf(b, "%g", nx_float_val(v));
        return true;
    case NX_OBJ_STRING:
        return json_string_checked(vm, b, nx_str(v)->s, nx_str_len(v));
    case NX_OBJ_PATH: {
        /* As CppNix: the store path the file would be copied to. */
        char *err = NULL;
        const char *sp = nx_store_copy_path(nx_str(v)->s, &err);
        if (!sp) {
            nx_vm_error(vm, NX_NOPOS, "%s", err);
            free(err);
            return false;
        }
        json_string(b, sp, strlen(sp));
        return true;
    }
    case NX_OBJ_LIST: {
        nx_list *l = nx_listp(v);
        nx_buf_addc(b, '[');
        for (uint32_t i = 0; i < l->h.aux; i++) {
            if (i) nx_buf_addc(b, ',');
            if (!json(c, b, &l->v[i], depth + 1, pos)) {
                if (c->force) nx_error_add_trace(&vm->err, pos, false, "while evaluating list element at index %u", i);
                return false;
            }
        }
        nx_buf_addc(b, ']');
        return true;
    }
    case NX_OBJ_ATTRS: {
        if (NX_UNLIKELY(c->t || c->drive)) {
            nx_value s;
            int r = attrs_string(c, v, pos, &s);
            if (r >= 0) return r && json_string_checked(vm, b, nx_str(s)->s, nx_str_len(s));
        }
        nx_attrs *a = nx_attrsp(v);
        nx_attr *o = nx_attrs_get(a, s_outpath);
        if (o) return json(c, b, &o->value, depth + 1, o->pos ? nx_pos_get(o->pos) : NX_NOPOS);
        nx_attr **order = nx_attrs_by_name(a);
        nx_buf_addc(b, '{');
        bool ok = true;
        for (uint32_t i = 0; i < a->h.aux && ok; i++) {
            if (i) nx_buf_addc(b, ',');
            ok = json_string_checked(vm, b, nx_sym_str(order[i]->name), nx_sym_len(order[i]->name));
            nx_buf_addc(b, ':');
            nx_pos ap = order[i]->pos ? nx_pos_get(order[i]->pos) : NX_NOPOS;
            ok = ok && json(c, b, &order[i]->value, depth + 1, ap);
            if (!ok && c->force)
                nx_error_add_trace(&vm->err, ap, false, "while evaluating attribute '%s'", nx_sym_str(order[i]->name));
        }
        free(order);
        nx_buf_addc(b, '}');
        return ok;
    }
    case NX_OBJ_THUNK:
        nx_vm_error(vm, NX_NOPOS, "cannot convert a thunk to JSON");
        return false;
    default:
        nx_json_unconvertible(vm, v);
        return false;
    }
}

void nx_json_unconvertible(nx_vm *vm, nx_value v)
{
    nx_pos at = nx_is_type(v, NX_OBJ_CLOSURE) ? ((nx_closure *)nx_obj_of(v))->code->pos : NX_NOPOS;
    nx_vm_error(vm, at, "cannot convert %s to JSON", nx_type_phrase(v));
}

bool nx_print_json(nx_vm *vm, nx_buf *out, nx_value v, const nx_json_strs *t)
{
    jctx c = { vm, t, false, false };
    return json(&c, out, &v, 0, NX_NOPOS);
}

bool nx_print_json_driver(nx_vm *vm, nx_buf *out, nx_value *v)
{
    jctx c = { vm, NULL, true, false };
    return json(&c, out, v, 0, NX_NOPOS);
}

bool nx_print_json_strict(nx_vm *vm, nx_buf *out, nx_value *v)
{
    jctx c = { vm, NULL, true, true };
    return json(&c, out, v, 0, NX_NOPOS);
}

/* ---- XML (--xml) ------------------------------------------------------------ */

/* XMLWriter's attribute escaping: only newlines among the control
 * characters (CR and tab are written as they are). */
static const bool xml_special[256] = { ['"'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, ['\n'] = 1 };

/* Whether any byte of the word w is one of xml_special's: a byte equal
 * to c is a zero byte of w ^ c*0x01..01, and (x - 0x01..01) & ~x & 0x80..80
 * is nonzero exactly when x has a zero byte. */
static inline bool xml_special_in(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = w ^ ('"' * ones), l = w ^ ('<' * ones), g = w ^ ('>' * ones), a = w ^ ('&' * ones),
             n = w ^ ('\n' * ones);
    return (((q - ones) & ~q) | ((l - ones) & ~l) | ((g - ones) & ~g) | ((a - ones) & ~a) | ((n - ones) & ~n)) &
           highs;
}

static void xml_escape(nx_buf *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Copy the run of bytes that need no escape in one go, found eight
         * bytes at a time (option descriptions are long plain texts). */
        size_t j = i;
        for (uint64_t w; j + 8 <= len && (memcpy(&w, s + j, 8), !xml_special_in(w));) j += 8;
        while (j < len && !xml_special[(unsigned char)s[j]]) j++;
        if (j > i) nx_buf_add(b, s + i, j - i);
        if (j == len) break;
        char c = s[j];
        i = j + 1;
        switch (c) {
        case '"': nx_buf_adds(b, "&quot;"); break;
        case '<': nx_buf_adds(b, "&lt;"); break;
        case '>': nx_buf_adds(b, "&gt;"); break;
        case '&': nx_buf_adds(b, "&amp;"); break;
        case '\n': nx_buf_adds(b, "&#xA;"); break;
        default: nx_buf_addc(b, c);
        }
    }
}

static void indent(nx_buf *b, int depth)
{
    static const char spaces[] = "                                                                ";
    size_t n = (size_t)depth * 2;
    while (n > sizeof spaces - 1) {
        nx_buf_add(b, spaces, sizeof spaces - 1);
        n -= sizeof spaces - 1;
    }
    nx_buf_add(b, spaces, n);
}

/* Position attributes in XMLWriter's (alphabetical) order. */
static void xml_pos(nx_buf *b, nx_pos pos)
{
    nx_source *src = nx_source_get(pos.src);
    if (!src) return;
    uint32_t line, col;
    nx_source_linecol(src, pos.off, &line, &col);
    nx_buf_printf(b, " column=\"%u\" line=\"%u\"", col, line);
}

static void xml_path(nx_buf *b, nx_pos pos)
{
    nx_source *src = nx_source_get(pos.src);
    if (!src) return;
    nx_buf_adds(b, " path=\"");
    xml_escape(b, src->name, strlen(src->name));
    nx_buf_addc(b, '"');
}

static int cmp_formal_name(const void *x, const void *y)
{
    return nx_sym_cmp(((const nx_formal_code *)x)->name, ((const nx_formal_code *)y)->name);
}

/* Printing state: positions shown (--xml) or not (builtins.toXML), and
 * the drvPaths of the derivations printed so far (shown once, then
 * <repeated />, as CppNix's drvPathsDone). */
typedef struct xmlctx {
    bool location;
    bool overflowed;       /* nesting deeper than NX_XML_MAX_DEPTH (a cycle) */
    const char **drvs;
    size_t ndrvs;
} xmlctx;

/* The value of attribute *sym (interned from name on first use: symbols
 * live for the process) in a, forced or not, or NX_NOVALUE. */
static nx_value attr_value(nx_attrs *a, nx_sym *sym, const char *name)
{
    nx_attr *at = nx_attrs_get(a, nx_sym_cached(sym, name));
    return at ? nx_deref(at->value) : NX_NOVALUE;
}

static void xml_attrs_body(xmlctx *x, nx_buf *b, nx_attrs *a, int depth);

static void xml(xmlctx *x, nx_buf *b, nx_value v, int depth)
{
    v = nx_deref(v);
    if (x->overflowed) return;
    indent(b, depth);
    if (depth > NX_XML_MAX_DEPTH) {
        x->overflowed = true;
        nx_buf_adds(b, "<unevaluated />\n");
        return;
    }
    if (nx_is_int(v)) {
        nx_buf_adds(b, "<int value=\"");
        nx_buf_add_int(b, nx_int_val(v));
        nx_buf_adds(b, "\" />\n");
        return;
    }
    if (v == NX_NULL) { nx_buf_adds(b, "<null />\n"); return; }
    if (v == NX_TRUE) { nx_buf_adds(b, "<bool value=\"true\" />\n"); return; }
    if (v == NX_FALSE) { nx_buf_adds(b, "<bool value=\"false\" />\n"); return; }
    switch (nx_objtype_of(v)) {
    case NX_OBJ_FLOAT:
        nx_buf_printf(b, "<float value=\"%g\" />\n", nx_float_val(v));
        return;
    case NX_OBJ_STRING:
    case NX_OBJ_PATH:
        nx_buf_adds(b, nx_is_path(v) ? "<path value=\"" : "<string value=\"");
        xml_escape(b, nx_str(v)->s, nx_str_len(v));
        nx_buf_adds(b, "\" />\n");
        return;
    case NX_OBJ_LIST: {
        nx_list *l = nx_listp(v);
        nx_buf_adds(b, "<list>\n");
        for (uint32_t i = 0; i < l->h.aux; i++) xml(x, b, l->v[i], depth + 1);
        indent(b, depth);
        nx_buf_adds(b, "</list>\n");
        return;
    }
    case NX_OBJ_ATTRS: {
        nx_attrs *a = nx_attrsp(v);
        static nx_sym s_type, s_drvPath, s_outPath;
        nx_value type = attr_value(a, &s_type, "type");
        if (nx_is_string(type) && strcmp(nx_str(type)->s, "derivation") == 0) {
            nx_value drv = attr_value(a, &s_drvPath, "drvPath"), out = attr_value(a, &s_outPath, "outPath");
            nx_buf_adds(b, "<derivation");
            const char *dp = nx_is_string(drv) ? nx_str(drv)->s : "";
            if (nx_is_string(drv)) {
                nx_buf_adds(b, " drvPath=\"");
                xml_escape(b, dp, nx_str_len(drv));
                nx_buf_addc(b, '"');
            }
            if (nx_is_string(out)) {
                nx_buf_adds(b, " outPath=\"");
                xml_escape(b, nx_str(out)->s, nx_str_len(out));
                nx_buf_addc(b, '"');
            }
            nx_buf_adds(b, ">\n");
            bool seen = !*dp;
            for (size_t i = 0; i < x->ndrvs && !seen; i++) seen = strcmp(x->drvs[i], dp) == 0;
            if (seen) {
                indent(b, depth + 1);
                nx_buf_adds(b, "<repeated />\n");
            } else {
                x->drvs = nx_xrealloc(x->drvs, (x->ndrvs + 1) * sizeof *x->drvs);
                x->drvs[x->ndrvs++] = dp;
                xml_attrs_body(x, b, a, depth);
            }
            indent(b, depth);
            nx_buf_adds(b, "</derivation>\n");
            return;
        }
        nx_buf_adds(b, "<attrs>\n");
        xml_attrs_body(x, b, a, depth);
        indent(b, depth);
        nx_buf_adds(b, "</attrs>\n");
        return;
    }
    case NX_OBJ_CLOSURE: {
        const nx_code *c = ((const nx_closure *)nx_obj_of(v))->code;
        if (nx_obj_of(v)->flags & NX_CLOSURE_LAZY) {
            /* Still a thunk in CppNix (see nx_print_value). */
            nx_buf_adds(b, "<unevaluated />\n");
            return;
        }
        nx_buf_adds(b, "<function");
        if (x->location) {
            xml_pos(b, c->pos);
            xml_path(b, c->pos);
        }
        nx_buf_adds(b, ">\n");
        indent(b, depth + 1);
        const nx_lambda_code *lc = nx_code_lambda(c);
        if (!lc->has_formals) {
            nx_buf_printf(b, "<varpat name=\"%s\" />\n", nx_sym_str(lc->arg));
        } else {
            nx_buf_adds(b, "<attrspat");
            if (lc->ellipsis) nx_buf_adds(b, " ellipsis=\"1\"");
            if (lc->arg) nx_buf_printf(b, " name=\"%s\"", nx_sym_str(lc->arg));
            nx_buf_adds(b, ">\n");
            nx_formal_code *f = nx_xmalloc((lc->nformals + 1) * sizeof *f);
            memcpy(f, lc->formals, lc->nformals * sizeof *f);
            qsort(f, lc->nformals, sizeof *f, cmp_formal_name);
            for (uint32_t i = 0; i < lc->nformals; i++) {
                indent(b, depth + 2);
                nx_buf_printf(b, "<attr name=\"%s\" />\n", nx_sym_str(f[i].name));
            }
            free(f);
            indent(b, depth + 1);
            nx_buf_adds(b, "</attrspat>\n");
        }
        indent(b, depth);
        nx_buf_adds(b, "</function>\n");
        return;
    }
    default:
        /* thunks, primops and partial applications */
        nx_buf_adds(b, "<unevaluated />\n");
    }
}

/* The <attr> elements of a set, by name. */
static void xml_attrs_body(xmlctx *x, nx_buf *b, nx_attrs *a, int depth)
{
    nx_attr **order = nx_attrs_by_name(a);
    for (uint32_t i = 0; i < a->h.aux; i++) {
        /* Positions only for --xml: finding a source (a binary search)
         * per attribute was a tenth of toXML's printing. */
        nx_pos pos = x->location ? nx_pos_get(order[i]->pos) : NX_NOPOS;
        indent(b, depth + 1);
        nx_buf_adds(b, "<attr");
        if (x->location) xml_pos(b, pos);
        nx_buf_adds(b, " name=\"");
        xml_escape(b, nx_sym_str(order[i]->name), nx_sym_len(order[i]->name));
        nx_buf_addc(b, '"');
        if (x->location) xml_path(b, pos);
        nx_buf_adds(b, ">\n");
        xml(x, b, order[i]->value, depth + 2);
        indent(b, depth + 1);
        nx_buf_adds(b, "</attr>\n");
    }
    free(order);
}

bool nx_print_xml_doc(nx_buf *out, nx_value v, bool location)
{
    xmlctx x = { location, false, NULL, 0 };
    nx_buf_adds(out, "<?xml version='1.0' encoding='utf-8'?>\n<expr>\n");
    xml(&x, out, v, 1);
    nx_buf_adds(out, "</expr>\n");
    free(x.drvs);
    return !x.overflowed;
}

void nx_print_xml(nx_buf *out, nx_value v) { nx_print_xml_doc(out, v, true); }

/* ---- values inside error messages ----------------------------------------
 *
 * Modern CppNix's printValue with errorPrintOptions (print.cc,
 * print-options.hh): sets and lists nested at most 10 deep (deeper ones
 * print as `{ ... }` / `[ ... ]`, empty ones too), at most 10 attributes
 * and 10 list items in the whole rendering (the counters are shared by
 * every set or list printed; the rest of a set or list is `«N attributes
 * elided»` / `«N items elided»`), strings cut after 1024 bytes (`"…"
 * «N bytes elided»`), the attributes `_type` and `type` first, a set or
 * non-empty list printed before as `«repeated»` (trackRepeated; CppNix
 * knows lists by the identity of their Value, nixe by the list object, as
 * the --eval printer; all empty sets are CppNix's one emptyBindings), and
 * nothing forced (unevaluated parts are `«thunk»`). */

#define SHORT_MAX_DEPTH 10
#define SHORT_MAX_ATTRS 10
#define SHORT_MAX_ITEMS 10
#define SHORT_MAX_STRING 1024

typedef struct shortpr {
    nx_buf *b;
    size_t attrs, items; /* printed so far, in the whole rendering */
    nx_ptrset seen;
} shortpr;

static void elided(nx_buf *b, size_t n, const char *one, const char *many)
{
    nx_buf_printf(b, "«%zu %s elided»", n, n == 1 ? one : many);
}

static bool important_attr(nx_sym s)
{
    const char *n = nx_sym_str(s);
    return strcmp(n, "type") == 0 || strcmp(n, "_type") == 0;
}

static void show(shortpr *p, nx_value v, size_t depth)
{
    nx_buf *b = p->b;
    v = nx_deref(v);
    if (nx_is_int(v)) {
        nx_buf_printf(b, "%lld", (long long)nx_int_val(v));
        return;
    }
    switch (nx_objtype_of(v)) {
    case NX_OBJ_FLOAT: nx_buf_printf(b, "%g", nx_float_val(v)); return;
    case NX_OBJ_STRING: {
        uint32_t n = nx_str_len(v);
        const char *s = nx_str(v)->s;
        nx_buf_addc(b, '"');
        for (uint32_t i = 0; i < n; i++) {
            if (i >= SHORT_MAX_STRING) {
                nx_buf_adds(b, "\" ");
                elided(b, n - i, "byte", "bytes");
                return;
            }
            char c = s[i];
            if (c == '"' || c == '\\') { nx_buf_addc(b, '\\'); nx_buf_addc(b, c); }
            else if (c == '\n') nx_buf_adds(b, "\\n");
            else if (c == '\r') nx_buf_adds(b, "\\r");
            else if (c == '\t') nx_buf_adds(b, "\\t");
            else if (c == '$' && i + 1 < n && s[i + 1] == '{') nx_buf_adds(b, "\\$");
            else nx_buf_addc(b, c);
        }
        nx_buf_addc(b, '"');
        return;
    }
    case NX_OBJ_PATH: nx_buf_add(b, nx_str(v)->s, nx_str_len(v)); return;
    case NX_OBJ_LIST: {
        nx_list *l = nx_listp(v);
        uint32_t n = l->h.aux;
        if (n && !nx_ptrset_add(&p->seen, l)) { nx_buf_adds(b, "«repeated»"); return; }
        if (depth >= SHORT_MAX_DEPTH) { nx_buf_adds(b, "[ ... ]"); return; }
        nx_buf_addc(b, '[');
        for (uint32_t i = 0; i < n; i++) {
            nx_buf_addc(b, ' ');
            if (p->items >= SHORT_MAX_ITEMS) {
                elided(b, n - i, "item", "items");
                break;
            }
            show(p, l->v[i], depth + 1);
            p->items++;
        }
        nx_buf_adds(b, " ]");
        return;
    }
    case NX_OBJ_ATTRS: {
        nx_attrs *a = nx_attrsp(v);
        uint32_t n = a->h.aux;
        /* CppNix's empty sets are all one Bindings object. */
        static const char empty_set;
        if (!nx_ptrset_add(&p->seen, n ? (const void *)a : &empty_set)) { nx_buf_adds(b, "«repeated»"); return; }
        if (depth >= SHORT_MAX_DEPTH) { nx_buf_adds(b, "{ ... }"); return; }
        nx_attr **o = nx_attrs_by_name(a);
        /* ImportantFirstAttrNameCmp: `_type` and `type` first. */
        uint32_t k = 0;
        for (uint32_t i = 0; i < n; i++)
            if (important_attr(o[i]->name)) {
                nx_attr *t = o[i];
                memmove(&o[k + 1], &o[k], (i - k) * sizeof *o);
                o[k++] = t;
            }
        nx_buf_addc(b, '{');
        for (uint32_t i = 0; i < n; i++) {
            nx_buf_addc(b, ' ');
            if (p->attrs >= SHORT_MAX_ATTRS) {
                elided(b, n - i, "attribute", "attributes");
                break;
            }
            nx_print_identifier(b, nx_sym_str(o[i]->name), nx_sym_len(o[i]->name));
            nx_buf_adds(b, " = ");
            show(p, o[i]->value, depth + 1);
            nx_buf_addc(b, ';');
            p->attrs++;
        }
        free(o);
        nx_buf_adds(b, " }");
        return;
    }
    case NX_OBJ_CLOSURE: {
        const nx_closure *c = (const nx_closure *)nx_obj_of(v);
        nx_buf_adds(b, "«lambda ");
        nx_sym name = nx_code_lambda(c->code)->name;
        if (name) {
            nx_buf_adds(b, nx_sym_str(name));
            nx_buf_addc(b, ' ');
        }
        nx_buf_adds(b, "@ ");
        nx_pos_format(b, c->code->pos);
        nx_buf_adds(b, "»");
        return;
    }
    case NX_OBJ_PRIMOP:
        nx_buf_printf(b, "«primop %s»", ((const nx_primop *)nx_obj_of(v))->b->name);
        return;
    case NX_OBJ_PAPP:
        nx_buf_printf(b, "«partially applied primop %s»", ((const nx_papp *)nx_obj_of(v))->b->name);
        return;
    case NX_OBJ_THUNK:
        /* A thunk under evaluation (CppNix's blackhole). */
        if (((const nx_thunk *)nx_obj_of(v))->h.aux == NX_THUNK_BLACKHOLE) nx_buf_adds(b, "«potential infinite recursion»");
        else nx_buf_adds(b, "«thunk»");
        return;
    }
    if (v == NX_NULL) nx_buf_adds(b, "null");
    else if (v == NX_TRUE) nx_buf_adds(b, "true");
    else if (v == NX_FALSE) nx_buf_adds(b, "false");
    else nx_buf_adds(b, "«unknown»");
}

void nx_show_value_short(nx_buf *b, nx_value v)
{
    shortpr p = { .b = b };
    show(&p, v, 0);
    free(p.seen.v);
}
