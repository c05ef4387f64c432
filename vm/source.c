/* source.c — the source registry and per-file line indexes. */
#include "vm/source.h"
#include "vm/store/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static nx_source **sources;
static uint32_t nsources, capsources;
/* The next free position id (id 0 = no position), and the sources with
 * an id range: ids 1..nranged-1 (once one does not fit, none after it). */
static uint64_t next_base = 1;
static uint32_t nranged = 1;

/* Registers text (malloc'd, NUL-terminated at len), taking ownership. */
static uint32_t add_owned(const char *name, const char *dir, size_t dirlen, char *text, size_t len)
{
    if (nsources + 1 >= capsources) {
        capsources = capsources ? capsources * 2 : 64;
        sources = nx_xrealloc(sources, capsources * sizeof *sources);
        if (nsources == 0) sources[nsources++] = NULL; /* id 0 = none */
    }
    nx_source *s = nx_xcalloc(1, sizeof *s);
    s->id = nsources;
    s->name = nx_xstrndup(name, strlen(name));
    s->dir = nx_xstrndup(dir, dirlen);
    s->text = text;
    s->len = len;
    /* Reserve ids for offsets 0..len; a source past 2^32 ids gets none. */
    if (nranged == nsources && next_base + len + 1 <= UINT32_MAX) {
        s->base = (uint32_t)next_base;
        next_base += len + 1;
        nranged = nsources + 1;
    }
    sources[nsources++] = s;
    return s->id;
}

uint32_t nx_source_add(const char *name, const char *dir, const char *text, size_t len)
{
    char *t = nx_xmalloc(len + 1);
    memcpy(t, text, len);
    t[len] = 0;
    return add_owned(name, dir, strlen(dir), t, len);
}

/* Reads the whole file at path into a malloc'd buffer NUL-terminated at
 * *lenp; NULL with errno set on failure (EISDIR for a directory). */
static char *read_all(const char *path, size_t *lenp)
{
    char real[PATH_MAX];
    int fd = open(nx_store_real_path(path, real, sizeof real), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    /* One read into a buffer of the file's size (+1 for the NUL); it grows
     * only if the size was wrong (a pipe, /proc, a file being written).
     * Once the buffer is full, the read that should find the end of the
     * file goes to a small local buffer, so that a file of the size fstat
     * said is never copied into a larger allocation. */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, len = 0;
    char *text = nx_xmalloc(cap);
    for (;;) {
        char probe[4096];
        bool full = len + 1 >= cap;
        ssize_t n = full ? read(fd, probe, sizeof probe) : read(fd, text + len, cap - 1 - len);
        if (n > 0 && full) {
            while (len + (size_t)n + 1 > cap) cap *= 2;
            text = nx_xrealloc(text, cap);
            memcpy(text + len, probe, (size_t)n);
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            free(text);
            errno = e;
            return NULL;
        }
        if (n == 0) break;
        len += (size_t)n;
        /* A regular file read to the size fstat gave: done, without the
         * read that would only confirm the end (a syscall per file). */
        if (S_ISREG(st.st_mode) && st.st_size > 0 && len == (size_t)st.st_size) break;
    }
    close(fd);
    text[len] = 0;
    *lenp = len;
    return text;
}

uint32_t nx_source_load_file(const char *path)
{
    size_t len;
    char *text = read_all(path, &len);
    if (!text) return 0;
    /* The directory of the file, for resolving ./relative paths. */
    const char *slash = strrchr(path, '/');
    uint32_t id;
    if (!slash) id = add_owned(path, ".", 1, text, len);
    else if (slash == path) id = add_owned(path, "/", 1, text, len);
    else id = add_owned(path, path, (size_t)(slash - path), text, len);
    nx_source_get(id)->is_file = true;
    return id;
}

nx_source *nx_source_get(uint32_t id)
{
    return id && id < nsources ? sources[id] : NULL;
}

void nx_source_release_text(uint32_t id)
{
    nx_source *s = nx_source_get(id);
    if (!s || !s->is_file || !s->text) return;
    free((char *)s->text);
    s->text = NULL;
    s->released = true;
}

const char *nx_source_text(nx_source *s)
{
    if (s->text) return s->text;
    /* Released: read the file again.  Should it have changed since, the
     * excerpt is of the new contents, clipped to the old length (positions
     * never point past it). */
    size_t len = 0;
    char *t = read_all(s->name, &len);
    if (!t) {
        t = nx_xmalloc(1);
        len = 0;
    }
    if (len > s->len) len = s->len;
    t[len] = 0;
    s->text = t;
    if (len < s->len) {
        /* Pad with newlines so offsets up to s->len stay inside the text. */
        char *u = nx_xrealloc(t, s->len + 1);
        memset(u + len, '\n', s->len - len);
        u[s->len] = 0;
        s->text = u;
    }
    return s->text;
}

uint32_t nx_source_pos_id(uint32_t src, uint32_t off)
{
    nx_source *s = nx_source_get(src);
    if (!s || !s->base) return 0;
    if (off > s->len) off = (uint32_t)s->len;
    return s->base + off;
}

bool nx_source_pos_get(uint32_t id, uint32_t *src, uint32_t *off)
{
    if (!id || nranged < 2) return false;
    /* The last ranged source whose base is <= id (bases grow with ids). */
    uint32_t lo = 1, hi = nranged;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sources[mid]->base > id) hi = mid;
        else lo = mid;
    }
    nx_source *s = sources[lo];
    if (!s->base || id < s->base || id - s->base > s->len) return false;
    *src = s->id;
    *off = id - s->base;
    return true;
}

/* The line index.  A released text is read again for it and freed after,
 * so that computing line numbers (__curPos, unsafeGetAttrPos) does not keep
 * every such file in memory. */
static void build_index(nx_source *s)
{
    bool drop = s->released && !s->text;
    nx_source_text(s);
    uint32_t cap = 64, n = 0;
    uint32_t *v = nx_xmalloc(cap * sizeof *v);
    v[n++] = 0;
    for (size_t i = 0; i < s->len; i++) {
        char c = s->text[i];
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < s->len && s->text[i + 1] == '\n') i++;
            if (n == cap) {
                cap *= 2;
                v = nx_xrealloc(v, cap * sizeof *v);
            }
            v[n++] = (uint32_t)(i + 1);
        }
    }
    s->line_starts = v;
    s->nlines = n;
    if (drop) {
        free((char *)s->text);
        s->text = NULL;
    }
}

void nx_source_linecol(nx_source *s, uint32_t offset, uint32_t *line, uint32_t *col)
{
    if (!s->line_starts) build_index(s);
    /* Binary search for the last line start <= offset. */
    uint32_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= offset) lo = mid;
        else hi = mid;
    }
    *line = lo + 1;
    *col = offset - s->line_starts[lo] + 1;
}

const char *nx_source_line(nx_source *s, uint32_t line, size_t *len)
{
    if (!s->line_starts) build_index(s);
    if (line == 0 || line > s->nlines) return NULL;
    nx_source_text(s);
    size_t start = s->line_starts[line - 1];
    size_t end = start;
    while (end < s->len && s->text[end] != '\n' && s->text[end] != '\r') end++;
    *len = end - start;
    return s->text + start;
}

void nx_source_drop_from(uint32_t from)
{
    while (from && nsources > from) {
        nx_source *s = sources[--nsources];
        if (s->base) {
            next_base = s->base;
            nranged = nsources;
        }
        free((char *)s->name);
        free((char *)s->dir);
        free((char *)s->text);
        free(s->line_starts);
        free(s);
    }
}

uint32_t nx_source_count(void) { return nsources ? nsources : 1; }
