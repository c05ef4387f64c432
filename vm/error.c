/* error.c — building and printing errors. */
#include "vm/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vm/source.h"

char *nx_vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = nx_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void nx_error_set(nx_error *e, nx_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(e->msg);
    e->msg = nx_vformat(fmt, ap);
    va_end(ap);
    e->pos = pos;
}

void nx_error_vset(nx_error *e, nx_pos pos, const char *fmt, va_list ap)
{
    free(e->msg);
    e->msg = nx_vformat(fmt, ap);
    e->pos = pos;
}

bool nx_show_trace;

void nx_error_add_trace(nx_error *e, nx_pos pos, bool always, const char *fmt, ...)
{
    if (e->ntraces == e->captraces) {
        e->captraces = e->captraces ? e->captraces * 2 : 8;
        e->traces = nx_xrealloc(e->traces, e->captraces * sizeof *e->traces);
    }
    va_list ap;
    va_start(ap, fmt);
    e->traces[e->ntraces++] = (nx_trace){ nx_vformat(fmt, ap), pos, always };
    va_end(ap);
}

/* Appends s with its continuation lines indented by 7 columns and each
 * line's trailing blanks removed (CppNix's indent()), then a newline. */
static void add_indented(nx_buf *b, const char *m)
{
    for (bool first = true;; first = false) {
        const char *nl = strchr(m, '\n');
        size_t n = nl ? (size_t)(nl - m) : strlen(m);
        if (!first) nx_buf_adds(b, "       ");
        nx_buf_add(b, m, n);
        while (b->len && strchr(" \t\r", b->data[b->len - 1]) && b->data[b->len - 1]) b->data[--b->len] = 0;
        nx_buf_addc(b, '\n');
        if (!nl) break;
        m = nl + 1;
    }
}

void nx_error_clear(nx_error *e)
{
    for (uint32_t i = 0; i < e->ntraces; i++) free(e->traces[i].hint);
    free(e->traces);
    free(e->hint);
    free(e->msg);
    memset(e, 0, sizeof *e);
}

void nx_pos_format(nx_buf *b, nx_pos pos)
{
    nx_source *s = nx_source_get(pos.src);
    if (!s) {
        nx_buf_adds(b, "«none»");
        return;
    }
    uint32_t line, col;
    nx_source_linecol(s, pos.off, &line, &col);
    nx_buf_printf(b, "%s:%u:%u", s->name, line, col);
}

/* Lines as nix-instantiate 2.8 shows them: split at '\n' only (positions
 * also count a lone CR as a line end, the code snippet does not), and for
 * files only lines that end in a newline. */
static const char *display_line(nx_source *s, uint32_t line, size_t *len)
{
    const char *text = nx_source_text(s);
    const char *p = text, *end = text + s->len;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
        if (s->is_file || p > end) return NULL;
        *len = (size_t)(end - p);
        return p;
    }
    *len = (size_t)(nl - p);
    return p;
}

static bool line_exists(nx_source *s, uint32_t line)
{
    size_t len;
    return display_line(s, line, &len) != NULL;
}

static void add_code_line(nx_buf *b, nx_source *s, uint32_t line)
{
    size_t len;
    const char *p = display_line(s, line, &len);
    /* Trailing whitespace is not shown. */
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r')) len--;
    nx_buf_printf(b, "\n        %5u|", line);
    if (len) {
        nx_buf_addc(b, ' ');
        nx_buf_add(b, p, len);
    }
}

/* The "at FILE:L:C:" block with the surrounding source lines, after
 * `lead` (Nix 2.8's layout puts a blank line before it and a newline after
 * the colon; modern CppNix's trace entries neither). */
static void code_position(nx_buf *b, nx_pos pos, const char *indent, const char *lead, const char *colon)
{
    nx_source *s = nx_source_get(pos.src);
    if (!s) return;
    uint32_t line, col;
    nx_source_linecol(s, pos.off, &line, &col);
    nx_buf_printf(b, "%s%sat %s:%u:%u:%s", lead, indent, s->name, line, col, colon);
    if (!line_exists(s, line)) return;
    if (line > 1 && line_exists(s, line - 1)) add_code_line(b, s, line - 1);
    add_code_line(b, s, line);
    nx_buf_adds(b, "\n             |");
    for (uint32_t i = 0; i < col; i++) nx_buf_addc(b, ' ');
    nx_buf_addc(b, '^');
    if (line_exists(s, line + 1)) add_code_line(b, s, line + 1);
    nx_buf_addc(b, '\n');
}

static void add_position(nx_buf *b, nx_pos pos, const char *indent)
{
    code_position(b, pos, indent, "\n", "\n");
}

/* Writes b to f as CppNix's filterANSIEscapes leaves it: escape
 * sequences and CRs dropped, tabs expanded to multiples of 8 columns
 * counted from the message start.  Frees b. */
static void emit(FILE *f, nx_buf *b);

void nx_error_print(FILE *f, const nx_error *e)
{
    nx_error_print_modern(f, e, nx_show_trace);
}

void nx_error_print_28(FILE *f, const nx_error *e)
{
    nx_buf b = { 0 };
    /* Traces first, outermost first, then the message (modern CppNix's
     * layout: "error:", "       … TRACE", a blank line, "       error: MSG"). */
    bool any = false;
    for (uint32_t i = 0; i < e->ntraces; i++) any |= e->traces[i].always;
    if (any) {
        nx_buf_adds(&b, "error:\n");
        for (uint32_t i = e->ntraces; i-- > 0;) {
            if (!e->traces[i].always) continue;
            nx_buf_adds(&b, "       … ");
            add_indented(&b, e->traces[i].hint);
            nx_buf_addc(&b, '\n');
        }
        nx_buf_adds(&b, "       ");
    }
    nx_buf_adds(&b, "error: ");
    /* As CppNix's indent(): the message's continuation lines line up under
     * its first one, and every line loses its trailing whitespace. */
    add_indented(&b, e->msg ? e->msg : "unknown error");
    if (e->pos.src) add_position(&b, e->pos, "       ");
    if (e->hint) nx_buf_printf(&b, "       %s\n", e->hint);
    emit(f, &b);
}

static void emit(FILE *f, nx_buf *bp)
{
    nx_buf b = *bp;
    nx_buf o = { 0 };
    size_t w = 0;
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        if (c == 0x1b) {
            if (i + 1 < b.len && b.data[i + 1] == '[') {
                i += 2;
                while (i < b.len && ((unsigned char)b.data[i] < 0x40 || (unsigned char)b.data[i] > 0x7e)) i++;
            } else if (i + 1 < b.len && b.data[i + 1] == ']') {
                i += 2;
                while (i < b.len && b.data[i] != '\a' && b.data[i] != 0x1b) i++;
                if (i < b.len && b.data[i] == 0x1b) i++;
            } else {
                i++;
            }
            continue;
        }
        if (c == '\r') continue;
        if (c == '\t') {
            size_t n = 8 - (w % 8);
            for (size_t k = 0; k < n; k++) nx_buf_addc(&o, ' ');
            w += n;
            continue;
        }
        nx_buf_addc(&o, (char)c);
        if ((c & 0xc0) != 0x80) w++;
    }
    fwrite(o.data, 1, o.len, f);
    nx_buf_free(&o);
    nx_buf_free(bp);
}

/* ---- modern CppNix's layout (showErrorInfo) ------------------------------ */

/* Line `line` (from 1) of s as modern CppNix's Pos::LinesIterator cuts
 * it: lines end at "\r\n", a lone "\r" or "\n", and a text that ends
 * with a line end has one more, empty line after it.  NULL past the end. */
static const char *modern_line(nx_source *s, uint32_t line, size_t *len)
{
    const char *p = nx_source_text(s), *end = p + s->len;
    if (p == end) return NULL;
    for (uint32_t l = 1;; l++) {
        const char *q = p;
        while (q < end && *q != '\r' && *q != '\n') q++;
        if (l == line) {
            *len = (size_t)(q - p);
            return p;
        }
        if (q == end) return NULL;
        if (*q == '\r') q++;
        if (q < end && *q == '\n') q++;
        p = q;
    }
}

static void modern_code_line(nx_buf *b, uint32_t line, const char *p, size_t len)
{
    nx_buf_printf(b, "\n %5u| ", line);
    nx_buf_add(b, p, len);
}

/* printPosMaybe: "at FILE:L:C:" and the code lines under it (Pos::
 * getCodeLines, printCodeLines), unindented (the caller indents the whole
 * text and drops trailing blanks); returns whether there was a position. */
static bool modern_position(nx_buf *b, nx_pos pos, const char *indent)
{
    nx_source *s = nx_source_get(pos.src);
    if (!s) return false;
    uint32_t line, col;
    nx_source_linecol(s, pos.off, &line, &col);
    nx_buf_printf(b, "%sat %s:%u:%u:", indent, s->name, line, col);
    const char *p;
    size_t len;
    if (line > 1 && (p = modern_line(s, line - 1, &len))) modern_code_line(b, line - 1, p, len);
    if ((p = modern_line(s, line, &len))) {
        modern_code_line(b, line, p, len);
        if (col > 0) {
            nx_buf_adds(b, "\n      |");
            for (uint32_t i = 0; i < col; i++) nx_buf_addc(b, ' ');
            nx_buf_addc(b, '^');
        }
    }
    if ((p = modern_line(s, line + 1, &len))) modern_code_line(b, line + 1, p, len);
    nx_buf_addc(b, '\n');
    return true;
}

static void print_trace(nx_buf *b, const nx_trace *t, size_t *count)
{
    nx_buf_printf(b, "\n\xe2\x80\xa6 %s\n", t->hint);
    if (modern_position(b, t->pos, "  ")) (*count)++;
}

static bool same_trace(const nx_trace *a, const nx_trace *b)
{
    return a->pos.src == b->pos.src && (!a->pos.src || a->pos.off == b->pos.off) && strcmp(a->hint, b->hint) == 0;
}

/* CppNix's printSkippedTracesMaybe: up to 5 repeated entries are printed,
 * more are folded into one line.  (CppNix passes its seen-set by value,
 * so clearing it there has no effect; neither does nixe.) */
static void print_skipped(nx_buf *b, const nx_trace **skipped, size_t *nskipped, size_t *count)
{
    if (*nskipped > 5) {
        nx_buf_printf(b, "\n(%zu duplicate frames omitted)\n", *nskipped);
    } else {
        for (size_t i = 0; i < *nskipped; i++) print_trace(b, skipped[i], count);
    }
    *nskipped = 0;
}

void nx_error_print_modern(FILE *f, const nx_error *e, bool full_trace)
{
    nx_buf o = { 0 };
    if (e->ntraces) {
        const nx_trace **seen = nx_xmalloc(e->ntraces * sizeof *seen);
        const nx_trace **skipped = nx_xmalloc(e->ntraces * sizeof *skipped);
        size_t nseen = 0, nskipped = 0, count = 0;
        bool truncate = false;
        for (uint32_t k = e->ntraces; k-- > 0;) {
            const nx_trace *t = &e->traces[k];
            if (!t->hint[0]) continue;
            if (!full_trace && count > 3) truncate = true;
            if (truncate && !t->always) continue;
            bool dup = false;
            for (size_t i = 0; i < nseen && !dup; i++) dup = same_trace(seen[i], t);
            if (dup) {
                skipped[nskipped++] = t;
                continue;
            }
            seen[nseen++] = t;
            print_skipped(&o, skipped, &nskipped, &count);
            count++;
            print_trace(&o, t, &count);
        }
        print_skipped(&o, skipped, &nskipped, &count);
        if (truncate)
            nx_buf_adds(&o, "\n(stack trace truncated; use '--show-trace' to show the full, detailed trace)\n");
        nx_buf_adds(&o, "\nerror: ");
        free(seen);
        free(skipped);
    }
    nx_buf_adds(&o, e->msg ? e->msg : "unknown error");
    nx_buf_addc(&o, '\n');
    modern_position(&o, e->pos, "");
    if (e->hint) nx_buf_printf(&o, "%s\n", e->hint);
    /* indent(): "error: " before the first line, 7 spaces before the
     * others, each line without trailing whitespace. */
    while (o.len && o.data[o.len - 1] && strchr(" \t\r\n", o.data[o.len - 1])) o.len--;
    nx_buf b = { 0 };
    const char *p = o.data ? o.data : "", *end = p + o.len;
    for (bool first = true;; first = false) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!first) nx_buf_addc(&b, '\n');
        size_t start = b.len;
        nx_buf_adds(&b, first ? "error: " : "       ");
        nx_buf_add(&b, p, n);
        while (b.len > start && b.data[b.len - 1] && strchr(" \t\r", b.data[b.len - 1])) b.len--;
        if (!nl) break;
        p = nl + 1;
    }
    nx_buf_addc(&b, '\n');
    nx_buf_free(&o);
    emit(f, &b);
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

void nx_error_suggest(nx_error *e, const char *want, const char *const *cand, size_t n)
{
    /* Best matches first: by distance, then by name. */
    const char *best[3];
    size_t dist[3], nb = 0;
    for (size_t i = 0; i < n; i++) {
        size_t dd = levenshtein(want, cand[i]);
        if (dd > 2) continue;
        size_t k = nb < 3 ? nb++ : 3;
        while (k > 0 && (dist[k - 1] > dd || (dist[k - 1] == dd && strcmp(best[k - 1], cand[i]) > 0))) {
            if (k < 3) {
                best[k] = best[k - 1];
                dist[k] = dist[k - 1];
            }
            k--;
        }
        if (k < 3) {
            best[k] = cand[i];
            dist[k] = dd;
        }
    }
    if (!nb) return;
    nx_buf b = { 0 };
    nx_buf_adds(&b, nb == 1 ? "Did you mean " : "Did you mean one of ");
    for (size_t i = 0; i < nb; i++) {
        if (i) nx_buf_adds(&b, i + 1 == nb ? " or " : ", ");
        nx_buf_adds(&b, best[i]);
    }
    nx_buf_addc(&b, '?');
    free(e->hint);
    e->hint = b.data;
}
