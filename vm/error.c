/* error.c — building and printing errors. */
#include "vm/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vm/source.h"

static char *vformat(const char *fmt, va_list ap)
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
    e->msg = vformat(fmt, ap);
    va_end(ap);
    e->pos = pos;
}

void nx_error_add_trace(nx_error *e, nx_pos pos, const char *fmt, ...)
{
    if (e->ntrace == e->captrace) {
        e->captrace = e->captrace ? e->captrace * 2 : 8;
        e->trace = nx_xrealloc(e->trace, e->captrace * sizeof *e->trace);
    }
    va_list ap;
    va_start(ap, fmt);
    e->trace[e->ntrace].msg = vformat(fmt, ap);
    va_end(ap);
    e->trace[e->ntrace].pos = pos;
    e->ntrace++;
}

void nx_error_clear(nx_error *e)
{
    free(e->msg);
    for (uint32_t i = 0; i < e->ntrace; i++) free(e->trace[i].msg);
    free(e->trace);
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

/* Every line the index knows, including the empty one after a final
 * newline (nix-instantiate shows it too). */
static bool line_exists(nx_source *s, uint32_t line)
{
    size_t len;
    const char *p = nx_source_line(s, line, &len);
    if (!p) return false;
    /* For files, 2.8 shows only lines that end in a newline; for -E
     * strings and stdin every line, including an empty last one. */
    if (!s->is_file) return true;
    size_t end = (size_t)(p - s->text) + len;
    return end < s->len;
}

static void add_code_line(nx_buf *b, nx_source *s, uint32_t line)
{
    size_t len;
    const char *p = nx_source_line(s, line, &len);
    /* Trailing whitespace is not shown. */
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    nx_buf_printf(b, "\n        %5u|", line);
    if (len) {
        nx_buf_addc(b, ' ');
        nx_buf_add(b, p, len);
    }
}

/* The " at FILE:L:C:" block with the surrounding source lines. */
static void add_position(nx_buf *b, nx_pos pos, const char *indent)
{
    nx_source *s = nx_source_get(pos.src);
    if (!s) return;
    uint32_t line, col;
    nx_source_linecol(s, pos.off, &line, &col);
    nx_buf_printf(b, "\n%sat %s:%u:%u:\n", indent, s->name, line, col);
    if (!line_exists(s, line)) return;
    if (line > 1 && line_exists(s, line - 1)) add_code_line(b, s, line - 1);
    add_code_line(b, s, line);
    nx_buf_adds(b, "\n             |");
    for (uint32_t i = 0; i < col; i++) nx_buf_addc(b, ' ');
    nx_buf_addc(b, '^');
    if (line_exists(s, line + 1)) add_code_line(b, s, line + 1);
    nx_buf_addc(b, '\n');
}

void nx_error_print(FILE *f, const nx_error *e, bool show_trace)
{
    nx_buf b = { 0 };
    nx_buf_adds(&b, "error: ");
    nx_buf_adds(&b, e->msg ? e->msg : "unknown error");
    nx_buf_addc(&b, '\n');
    if (e->pos.src) add_position(&b, e->pos, "       ");
    if (show_trace) {
        for (uint32_t i = 0; i < e->ntrace; i++) {
            nx_buf_printf(&b, "\n       … %s\n", e->trace[i].msg);
            if (e->trace[i].pos.src) add_position(&b, e->trace[i].pos, "       ");
        }
    }
    fwrite(b.data, 1, b.len, f);
    nx_buf_free(&b);
}
