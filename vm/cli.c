/* cli.c — the `nixe` command line: nix-instantiate compatible options. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/nixe.h"

static void usage(FILE *f)
{
    fputs("usage: nixe [--parse] [FILE | - | -E EXPR]...\n"
          "\n"
          "  --parse          print the parsed expression (as nix-instantiate --parse)\n"
          "  -E, --expr EXPR  the argument is an expression, not a file\n"
          "  -                read the expression from standard input\n"
          "  --version        print the version\n"
          "  --help           this text\n",
          f);
}

/* A pending input: a file path, an expression, or stdin. */
typedef struct input {
    enum { IN_FILE, IN_EXPR, IN_STDIN } kind;
    const char *arg;
} input;

static char *cwd_dup(void)
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return nx_xstrndup("/", 1);
    return nx_xstrndup(buf, strlen(buf));
}

/* Absolute, canonical (".", ".." and "//" removed) form of path. */
static char *abs_path(const char *path, const char *base)
{
    nx_buf in = { 0 };
    if (path[0] != '/') {
        nx_buf_adds(&in, base);
        nx_buf_addc(&in, '/');
    }
    nx_buf_adds(&in, path);
    char *out = nx_xmalloc(in.len + 2);
    size_t o = 0;
    const char *s = in.data, *e = in.data + in.len;
    while (s < e) {
        while (s < e && *s == '/') s++;
        const char *seg = s;
        while (s < e && *s != '/') s++;
        size_t n = (size_t)(s - seg);
        if (n == 0 || (n == 1 && seg[0] == '.')) continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, seg, n);
        o += n;
    }
    if (o == 0) out[o++] = '/';
    out[o] = 0;
    nx_buf_free(&in);
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return nx_xstrndup("/", 1);
    return nx_xstrndup(path, (size_t)(slash - path));
}

/* CppNix's resolveExprPath: follow symlinks of the file itself, and use
 * default.nix for a directory.  Returns NULL and fills err on failure. */
static char *resolve_expr_path(const char *path, nx_error *err)
{
    char *p = nx_xstrndup(path, strlen(path));
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(p, &st) < 0) {
            nx_error_set(err, NX_NOPOS, "getting status of '%s': %s", p, strerror(errno));
            free(p);
            return NULL;
        }
        if (S_ISLNK(st.st_mode) && hops < 64) {
            char target[PATH_MAX];
            ssize_t n = readlink(p, target, sizeof target - 1);
            if (n < 0) break;
            target[n] = 0;
            char *dir = dir_of(p);
            char *next = abs_path(target, dir);
            free(dir);
            free(p);
            p = next;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            nx_buf b = { 0 };
            nx_buf_adds(&b, p);
            nx_buf_adds(&b, strcmp(p, "/") == 0 ? "default.nix" : "/default.nix");
            free(p);
            p = b.data;
            struct stat st2;
            if (stat(p, &st2) < 0) {
                nx_error_set(err, NX_NOPOS, "opening file '%s': %s", p, strerror(errno));
                free(p);
                return NULL;
            }
        }
        break;
    }
    return p;
}

typedef struct parse_job {
    uint32_t src;
    const char *base_dir;
    nx_buf out;
    nx_error err;
    bool ok;
} parse_job;

static void parse_and_print(void *v)
{
    parse_job *j = v;
    nx_parse_result r;
    j->ok = nx_parse(j->src, j->base_dir, &r, &j->err) && nx_scope_resolve(r.root, &j->err);
    if (j->ok) {
        nx_print_ast(&j->out, r.root);
        nx_buf_addc(&j->out, '\n');
    }
    nx_parse_free(&r);
}

static char *read_all(FILE *f, size_t *len)
{
    nx_buf b = { 0 };
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) nx_buf_add(&b, tmp, n);
    *len = b.len;
    return b.data ? b.data : nx_xstrndup("", 0);
}

static int run_input(const input *in, const char *cwd)
{
    nx_error err = { 0 };
    uint32_t src = 0;
    char *base = NULL;
    if (in->kind == IN_EXPR) {
        src = nx_source_add("«string»", cwd, in->arg, strlen(in->arg));
        base = nx_xstrndup(cwd, strlen(cwd));
    } else if (in->kind == IN_STDIN) {
        size_t len;
        char *text = read_all(stdin, &len);
        src = nx_source_add("«stdin»", cwd, text, len);
        free(text);
        base = nx_xstrndup(cwd, strlen(cwd));
    } else {
        char *abs = abs_path(in->arg, cwd);
        char *path = resolve_expr_path(abs, &err);
        free(abs);
        if (!path) {
            nx_error_print(stderr, &err, false);
            nx_error_clear(&err);
            return 1;
        }
        src = nx_source_load_file(path);
        if (!src) {
            nx_error_set(&err, NX_NOPOS, "opening file '%s': %s", path, strerror(errno));
            nx_error_print(stderr, &err, false);
            nx_error_clear(&err);
            free(path);
            return 1;
        }
        base = dir_of(path);
        free(path);
    }
    parse_job job = { .src = src, .base_dir = base };
    nx_run_on_big_stack(parse_and_print, &job);
    free(base);
    if (!job.ok) {
        fflush(stdout);
        nx_error_print(stderr, &job.err, false);
        nx_error_clear(&job.err);
        nx_buf_free(&job.out);
        return 1;
    }
    fwrite(job.out.data, 1, job.out.len, stdout);
    nx_buf_free(&job.out);
    return 0;
}

int main(int argc, char **argv)
{
    bool parse_only = false, expr_mode = false;
    input *inputs = nx_xcalloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--parse") == 0) {
            parse_only = true;
        } else if (strcmp(a, "-E") == 0 || strcmp(a, "--expr") == 0) {
            expr_mode = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            puts(NX_VERSION_STRING);
            return 0;
        } else if (strcmp(a, "-") == 0) {
            inputs[ninputs++] = (input){ IN_STDIN, a };
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) inputs[ninputs++] = (input){ IN_FILE, argv[i] };
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "error: unrecognised flag '%s'\nTry 'nixe --help' for more information.\n", a);
            return 1;
        } else {
            inputs[ninputs++] = (input){ IN_FILE, a };
        }
    }
    if (!parse_only) {
        fputs("error: only --parse is implemented so far (evaluation lands with the evaluator core)\n", stderr);
        return 1;
    }
    /* As in nix-instantiate, -E makes every argument an expression. */
    for (int i = 0; i < ninputs; i++)
        if (expr_mode && inputs[i].kind == IN_FILE) inputs[i].kind = IN_EXPR;
    if (ninputs == 0) inputs[ninputs++] = (input){ IN_FILE, "./default.nix" };
    char *cwd = cwd_dup();
    int rc = 0;
    for (int i = 0; i < ninputs && rc == 0; i++) rc = run_input(&inputs[i], cwd);
    free(cwd);
    free(inputs);
    return rc;
}
