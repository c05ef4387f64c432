/* files.c — builtins that look at the filesystem or at path strings:
 * baseNameOf, dirOf, pathExists, readFile, readDir, readFileType, toPath.  Nothing is copied to
 * the store. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/builtins/builtins.h"
#include "vm/store/context.h"
#include "vm/store/drv.h"
#include "vm/store/path.h"

static bool is_pathlike(nx_value v) { return nx_is_string(v) || nx_is_path(v); }

static int step_baseNameOf(nx_vm *vm, nx_frame *f)
{
    nx_value v = ARG(0);
    EXPECT(v, is_pathlike(v), "a string");
    const char *s = nx_str(v)->s;
    size_t len = nx_str_len(v);
    if (len && s[len - 1] == '/') len--;
    size_t start = len;
    while (start > 0 && s[start - 1] != '/') start--;
    RETURN_VALUE(nx_mk_string(s + start, len - start, nx_str(v)->ctx));
}

static int step_dirOf(nx_vm *vm, nx_frame *f)
{
    nx_value v = ARG(0);
    EXPECT(v, is_pathlike(v), "a string");
    const char *s = nx_str(v)->s;
    size_t len = nx_str_len(v);
    const char *slash = NULL;
    for (size_t i = len; i-- > 0;)
        if (s[i] == '/') {
            slash = s + i;
            break;
        }
    const char *r;
    size_t rl;
    if (!slash) {
        r = ".";
        rl = 1;
    } else if (slash == s) {
        r = "/";
        rl = 1;
    } else {
        r = s;
        rl = (size_t)(slash - s);
    }
    if (nx_is_path(v)) RETURN_VALUE(nx_mk_path(r, rl));
    RETURN_VALUE(nx_mk_string(r, rl, nx_str(v)->ctx));
}

int nx_builtin_path_arg(nx_vm *vm, nx_frame *f, int i)
{
    nx_value v = ARG(i);
    if (is_pathlike(v)) return 1;
    nx_buf b = { 0 };
    nx_ctxacc ctx = { 0 };
    nx_value pending = NX_NOVALUE;
    /* The coerced string keeps the context (CppNix's coerceToPath does:
     * toPath of a derivation still depends on it). */
    int r = nx_coerce_to_string(vm, &b, &ctx, v, NX_COERCE_PATH_TEXT, &pending);
    if (r == -2) ARG(i) = pending;
    if (r < 0) {
        nx_buf_free(&b);
        nx_ctx_free(&ctx);
        vm->req = pending;
        return -1;
    }
    if (r == 1) {
        const nx_context *c = nx_ctx_finish(&ctx);
        ARG(i) = b.len || c ? nx_mk_string(b.data ? b.data : "", b.len, c) : nx_empty_string;
    }
    nx_ctx_free(&ctx);
    nx_buf_free(&b);
    return r;
}

/* The absolute path a path value or string names, or NULL (error set). */
static const char *abs_path_arg(nx_vm *vm, nx_value v)
{
    if (!is_pathlike(v)) {
        nx_builtin_type_error(vm, v, "a path");
        return NULL;
    }
    const char *p = nx_str(v)->s;
    if (p[0] != '/') {
        nx_builtin_fail(vm, "string '%s' doesn't represent an absolute path", p);
        return NULL;
    }
    return p;
}

/* pathExists: as modern CppNix, the last component is not followed (a
 * dangling symlink exists), except that a string ending in "/" or "/."
 * must name a directory (symlinks followed); sets go through outPath /
 * __toString. */
static int step_pathExists(nx_vm *vm, nx_frame *f)
{
    /* state 1: the argument was a string (not a path or a set) */
    if (f->state == 0) f->state = nx_is_string(ARG(0)) ? 1 : 2;
    PATH_ARG(0);
    const char *p = abs_path_arg(vm, ARG(0));
    if (!p) return NX_STEP_ERROR;
    size_t n = strlen(p);
    bool must_dir = f->state == 1 && ((n && p[n - 1] == '/') || (n >= 2 && strcmp(p + n - 2, "/.") == 0));
    struct stat st;
    char real[PATH_MAX];
    if (must_dir) RETURN_VALUE(nx_bool(stat(nx_store_real_path(p, real, sizeof real), &st) == 0 && S_ISDIR(st.st_mode)));
    /* Otherwise the path is canonical first (CppNix's CanonPath: "a/.."
     * is lexically nothing). */
    char *canon = nx_xmalloc(n + 2);
    nx_canon_path(canon, p, n);
    bool exists = lstat(nx_store_real_path(canon, real, sizeof real), &st) == 0;
    free(canon);
    RETURN_VALUE(nx_bool(exists));
}

/* readFileType: the type of the directory entry itself (not followed). */
static int step_readFileType(nx_vm *vm, nx_frame *f)
{
    PATH_ARG(0);
    const char *p = abs_path_arg(vm, ARG(0));
    if (!p) return NX_STEP_ERROR;
    char *canon = nx_xmalloc(strlen(p) + 2);
    nx_canon_path(canon, p, strlen(p));
    struct stat st;
    char real[PATH_MAX];
    int r = lstat(nx_store_real_path(canon, real, sizeof real), &st);
    int e = errno;
    if (r != 0) {
        nx_builtin_fail(vm, "getting status of '%s': %s", canon, strerror(e));
        free(canon);
        return NX_STEP_ERROR;
    }
    free(canon);
    RETURN_VALUE(nx_mk_cstring(S_ISREG(st.st_mode) ? "regular" : S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink" : "unknown"));
}

/* toPath (deprecated): the canonical absolute path as a string, context
 * kept. */
static int step_toPath(nx_vm *vm, nx_frame *f)
{
    PATH_ARG(0);
    const char *p = abs_path_arg(vm, ARG(0));
    if (!p) return NX_STEP_ERROR;
    size_t n = strlen(p);
    char *canon = nx_xmalloc(n + 2);
    size_t cl = nx_canon_path(canon, p, n);
    nx_value r = nx_mk_string(canon, cl, nx_is_string(ARG(0)) ? nx_str(ARG(0))->ctx : NULL);
    free(canon);
    RETURN_VALUE(r);
}

static int step_readFile(nx_vm *vm, nx_frame *f)
{
    PATH_ARG(0);
    const char *p = abs_path_arg(vm, ARG(0));
    if (!p) return NX_STEP_ERROR;
    const char *made = nx_store_text_file(p);
    if (made) RETURN_VALUE(*made ? nx_mk_string(made, strlen(made), NULL) : nx_empty_string);
    char real[PATH_MAX];
    int fd = open(nx_store_real_path(p, real, sizeof real), O_RDONLY | O_CLOEXEC);
    if (fd < 0) FAIL("opening file '%s': %s", p, strerror(errno));
    nx_buf b = { 0 };
    char tmp[65536];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            nx_buf_free(&b);
            FAIL("reading file '%s': %s", p, strerror(e));
        }
        if (n == 0) break;
        nx_buf_add(&b, tmp, (size_t)n);
    }
    close(fd);
    /* Nix strings cannot hold NUL (CppNix 2.8 and modern). */
    if (b.len && memchr(b.data, 0, b.len)) {
        nx_buf_free(&b);
        FAIL("the contents of the file '%s' cannot be represented as a Nix string", p);
    }
    nx_value s = b.len ? nx_mk_string(b.data, b.len, NULL) : nx_empty_string;
    nx_buf_free(&b);
    RETURN_VALUE(s);
}

static const char *type_name(const char *dir, struct dirent *d)
{
    unsigned char t = d->d_type;
    if (t == DT_UNKNOWN) {
        /* Some filesystems do not say; ask lstat. */
        nx_buf b = { 0 };
        nx_buf_printf(&b, "%s/%s", dir, d->d_name);
        struct stat st;
        int r = lstat(b.data, &st);
        nx_buf_free(&b);
        if (r == 0) t = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
    }
    return t == DT_REG ? "regular" : t == DT_DIR ? "directory" : t == DT_LNK ? "symlink" : "unknown";
}

static int step_readDir(nx_vm *vm, nx_frame *f)
{
    PATH_ARG(0);
    const char *p = abs_path_arg(vm, ARG(0));
    if (!p) return NX_STEP_ERROR;
    char real[PATH_MAX];
    const char *rp = nx_store_real_path(p, real, sizeof real);
    DIR *d = opendir(rp);
    if (!d) FAIL("opening directory '%s': %s", p, strerror(errno));
    uint32_t cap = 16, n = 0;
    nx_attr *v = nx_xmalloc(cap * sizeof *v);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap *= 2;
            v = nx_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (nx_attr){ nx_sym_intern_cstr(e->d_name), 0, nx_mk_cstring(type_name(rp, e)) };
    }
    closedir(d);
    nx_attrs *a = nx_alloc_attrs(n);
    memcpy(a->a, v, n * sizeof *v);
    free(v);
    nx_attrs_sort(a);
    RETURN_VALUE(n ? nx_from_obj(a) : nx_empty_attrs);
}

static const nx_builtin table[] = {
    { "baseNameOf", 1, 1, 0, false, step_baseNameOf },
    { "dirOf", 1, 1, 0, false, step_dirOf },
    { "pathExists", 1, 1, 0, false, step_pathExists },
    { "readFile", 1, 1, 0, false, step_readFile },
    { "readDir", 1, 1, 0, false, step_readDir },
    { "readFileType", 1, 1, 0, false, step_readFileType },
    { "toPath", 1, 1, 0, false, step_toPath },
};

const nx_builtin_table nx_builtins_files = { table, NX_ARRAY_LEN(table) };
