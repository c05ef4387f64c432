/* nar.c — NAR serialisation (Nix ARchive) of a file system object.
 *
 * Every string is a little-endian 64-bit length, the bytes and zero
 * padding to a multiple of 8.  A node is ( type regular [executable ""]
 * contents BYTES ) / ( type symlink target T ) / ( type directory
 * entry ( name N node NODE ) ... ) with entries sorted by name bytes.
 * Directories are walked with recursion bounded by the file system's
 * depth (this is not Nix evaluation). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/common.h"
#include "vm/store/path.h"

/* qsort that accepts an empty (possibly NULL) array. */
static void sort_n(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(v, n, size, cmp);
}

typedef struct sink {
    void (*put)(void *cx, const void *p, size_t n);
    void *cx;
    bool (*filter)(void *fcx, const char *path); /* NULL: everything */
    void *fcx;
} sink;

static void put_u64(sink *s, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    s->put(s->cx, b, 8);
}

static void pad(sink *s, uint64_t n)
{
    static const uint8_t zero[8];
    if (n % 8) s->put(s->cx, zero, 8 - n % 8);
}

static void put_str(sink *s, const char *p, size_t n)
{
    put_u64(s, n);
    s->put(s->cx, p, n);
    pad(s, n);
}

static void put_cstr(sink *s, const char *p) { put_str(s, p, strlen(p)); }

static bool io_error(char **err, const char *what, const char *path)
{
    nx_buf b = { 0 };
    nx_buf_printf(&b, "%s '%s': %s", what, path, strerror(errno));
    *err = b.data;
    return false;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool dump(sink *s, const char *path, char **err)
{
    struct stat st;
    if (lstat(path, &st) != 0) return io_error(err, "getting status of", path);
    put_cstr(s, "(");
    put_cstr(s, "type");
    if (S_ISREG(st.st_mode)) {
        put_cstr(s, "regular");
        if (st.st_mode & S_IXUSR) {
            put_cstr(s, "executable");
            put_cstr(s, "");
        }
        put_cstr(s, "contents");
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return io_error(err, "opening file", path);
        put_u64(s, (uint64_t)st.st_size);
        char buf[65536];
        uint64_t total = 0;
        for (;;) {
            ssize_t r = read(fd, buf, sizeof buf);
            if (r < 0) {
                close(fd);
                return io_error(err, "reading file", path);
            }
            if (r == 0) break;
            s->put(s->cx, buf, (size_t)r);
            total += (uint64_t)r;
        }
        close(fd);
        if (total != (uint64_t)st.st_size) {
            errno = EIO;
            return io_error(err, "file changed while reading", path);
        }
        pad(s, total);
    } else if (S_ISLNK(st.st_mode)) {
        put_cstr(s, "symlink");
        put_cstr(s, "target");
        char target[PATH_MAX + 1];
        ssize_t r = readlink(path, target, PATH_MAX);
        if (r < 0) return io_error(err, "reading symbolic link", path);
        put_str(s, target, (size_t)r);
    } else if (S_ISDIR(st.st_mode)) {
        put_cstr(s, "directory");
        DIR *d = opendir(path);
        if (!d) return io_error(err, "opening directory", path);
        size_t n = 0, cap = 16;
        char **names = nx_xmalloc(cap * sizeof *names);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            if (n == cap) names = nx_xrealloc(names, (cap *= 2) * sizeof *names);
            names[n++] = nx_xstrndup(e->d_name, strlen(e->d_name));
        }
        closedir(d);
        sort_n(names, n, sizeof *names, cmp_name);
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            nx_buf child = { 0 };
            nx_buf_printf(&child, "%s/%s", path, names[i]);
            if (ok && (!s->filter || s->filter(s->fcx, child.data))) {
                put_cstr(s, "entry");
                put_cstr(s, "(");
                put_cstr(s, "name");
                put_cstr(s, names[i]);
                put_cstr(s, "node");
                ok = dump(s, child.data, err);
                put_cstr(s, ")");
            }
            nx_buf_free(&child);
            free(names[i]);
        }
        free(names);
        if (!ok) return false;
    } else {
        nx_buf b = { 0 };
        nx_buf_printf(&b, "file '%s' has an unsupported type", path);
        *err = b.data;
        return false;
    }
    put_cstr(s, ")");
    return true;
}

bool nx_nar_dump(const char *path, void (*put)(void *cx, const void *p, size_t n), void *cx, char **err)
{
    sink s = { put, cx, NULL, NULL };
    put_cstr(&s, "nix-archive-1");
    return dump(&s, path, err);
}

static void put_hash(void *cx, const void *p, size_t n) { nx_hash_update(cx, p, n); }

bool nx_nar_hash(const char *path, int algo, nx_hash *out, char **err)
{
    return nx_nar_hash_filtered(path, algo, NULL, NULL, out, err);
}

bool nx_nar_hash_filtered(const char *path, int algo, bool (*filter)(void *cx, const char *path), void *cx,
                          nx_hash *out, char **err)
{
    nx_hash_ctx c;
    nx_hash_init(&c, algo);
    sink s = { put_hash, &c, filter, cx };
    put_cstr(&s, "nix-archive-1");
    bool ok = dump(&s, path, err);
    nx_hash_final(&c, out);
    return ok;
}
