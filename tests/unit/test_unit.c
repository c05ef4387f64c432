/* test_unit.c — unit tests of the front end's building blocks: symbols,
 * line indexes, the lexer's longest-match rules, the parser's desugaring
 * and error positions.  Output is TAP. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "vm/lexer.h"
#include "vm/nixe.h"
#include "vm/store/drv.h"
#include "vm/store/hash.h"
#include "vm/store/path.h"

static void test_symbols(void)
{
    nx_sym a = nx_sym_intern_cstr("alpha");
    nx_sym b = nx_sym_intern_cstr("beta");
    TAP_OK(a != NX_SYM_NONE && a != b, "distinct names get distinct symbols");
    TAP_OK(nx_sym_intern("alpha", 5) == a, "interning is idempotent");
    TAP_OK(nx_sym_lookup("gamma-not-interned", 18) == NX_SYM_NONE, "lookup does not intern");
    TAP_OK(nx_sym_cmp(a, b) < 0 && nx_sym_cmp(b, a) > 0, "symbols compare by bytes");
    nx_sym ab = nx_sym_intern("a\0b", 3);
    TAP_OK(nx_sym_len(ab) == 3 && nx_sym_cmp(nx_sym_intern("a", 1), ab) < 0, "names may contain NUL");
    /* Force several rehashes and check every name survives. */
    char buf[32];
    nx_sym ids[5000];
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "sym%d", i);
        ids[i] = nx_sym_intern_cstr(buf);
    }
    int bad = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "sym%d", i);
        if (nx_sym_intern_cstr(buf) != ids[i] || strcmp(nx_sym_str(ids[i]), buf) != 0) bad++;
    }
    TAP_OK(bad == 0, "5000 names survive table growth");
    /* A probe matches by length and first 8 bytes, then the rest: names
     * sharing a prefix, or equal but for zero padding, stay apart. */
    const char *abc = "abcdefghijklmnop";
    nx_sym pre[17];
    bad = 0;
    for (size_t n = 1; n <= 16; n++) pre[n] = nx_sym_intern(abc, n);
    for (size_t n = 1; n <= 16; n++) {
        if (nx_sym_intern(abc, n) != pre[n] || nx_sym_len(pre[n]) != n) bad++;
        for (size_t m = 1; m < n; m++) bad += pre[m] == pre[n];
    }
    TAP_OK(bad == 0, "every prefix of a name is a symbol of its own");
    nx_sym one = nx_sym_intern("abcdefgh-one", 12), two = nx_sym_intern("abcdefgh-two", 12);
    TAP_OK(one != two && nx_sym_intern("abcdefgh-two", 12) == two && nx_sym_lookup("abcdefgh-six", 12) == NX_SYM_NONE,
           "names equal in their first 8 bytes and length differ after");
    nx_sym x0 = nx_sym_intern("x\0", 2);
    TAP_OK(x0 != nx_sym_intern("x", 1) && nx_sym_intern("x\0", 2) == x0, "a trailing NUL is not padding");
}

static void test_lines(void)
{
    const char *text = "ab\ncd\r\nef\rgh";
    uint32_t id = nx_source_add("t", "/", text, strlen(text));
    nx_source *s = nx_source_get(id);
    uint32_t line, col;
    nx_source_linecol(s, 0, &line, &col);
    TAP_OK(line == 1 && col == 1, "offset 0 is 1:1");
    nx_source_linecol(s, 4, &line, &col);
    TAP_OK(line == 2 && col == 2, "LF ends a line (got %u:%u)", line, col);
    nx_source_linecol(s, 7, &line, &col);
    TAP_OK(line == 3 && col == 1, "CRLF ends a line once (got %u:%u)", line, col);
    nx_source_linecol(s, 11, &line, &col);
    TAP_OK(line == 4 && col == 2, "a lone CR ends a line (got %u:%u)", line, col);
    size_t len;
    const char *l2 = nx_source_line(s, 2, &len);
    TAP_OK(l2 && len == 2 && memcmp(l2, "cd", 2) == 0, "line text excludes the terminator");
}

/* Lexes text and returns the token kinds as a space-separated string. */
static char *lex_kinds(const char *text)
{
    static char out[1024];
    nx_arena a;
    nx_arena_init(&a);
    nx_lexer lx;
    nx_lexer_init(&lx, text, strlen(text), &a);
    out[0] = 0;
    for (int i = 0; i < 64; i++) {
        nx_token t;
        nx_lexer_next(&lx, &t);
        char d[64];
        nx_tok_describe(&t, d, sizeof d);
        if (out[0]) strcat(out, " ");
        strcat(out, d);
        if (t.type == NX_T_EOF || t.type == NX_T_ERROR) break;
    }
    nx_lexer_free(&lx);
    nx_arena_free(&a);
    return out;
}

static void test_lexer(void)
{
    TAP_STREQ(lex_kinds("a/b"), "PATH PATH_END end of file", "a/b is a path");
    TAP_STREQ(lex_kinds("x:x"), "URI end of file", "x:x is a URI");
    TAP_STREQ(lex_kinds("x: x"), "ID ':' ID end of file", "x: x is a lambda head");
    TAP_STREQ(lex_kinds("1e3"), "INT_LIT ID end of file", "1e3 is an int then an identifier");
    TAP_STREQ(lex_kinds("1.5e3 .5 1."), "FLOAT_LIT FLOAT_LIT FLOAT_LIT end of file", "float forms");
    TAP_STREQ(lex_kinds("00.5"), "INT_LIT FLOAT_LIT end of file", "00.5 is 00 then .5");
    TAP_STREQ(lex_kinds("./a/${x}b"), "PATH DOLLAR_CURLY ID '}' STR PATH_END end of file", "path interpolation");
    TAP_STREQ(lex_kinds("<nixpkgs/lib>"), "SPATH end of file", "search path");
    TAP_STREQ(lex_kinds("a<b"), "ID '<' ID end of file", "a<b is a comparison");
    TAP_STREQ(lex_kinds("\"a${b}c\""), "'\"' STR DOLLAR_CURLY ID '}' STR '\"' end of file", "string interpolation");
    TAP_STREQ(lex_kinds("''\n  x''$''\\n'''"), "IND_STRING_OPEN IND_STR IND_STR IND_STR IND_STR end of file", "indented string escapes");
    TAP_STREQ(lex_kinds("ifx if"), "ID IF end of file", "keywords only as whole words");
    TAP_STREQ(lex_kinds("./a/"), "PATH error", "trailing slash is an error");
    TAP_STREQ(lex_kinds("99999999999999999999"), "error", "int overflow is an error");
    TAP_STREQ(lex_kinds("a /* c */ b # d\n c"), "ID ID ID end of file", "comments are skipped");
    TAP_STREQ(lex_kinds("/* open"), "'/' '*' ID end of file", "an unterminated comment is not a comment");
    TAP_STREQ(lex_kinds("|> <| ++ //"), "PIPE_INTO PIPE_FROM CONCAT UPDATE end of file", "operators");
}

static char *parse_print(const char *text, char **err_out)
{
    uint32_t id = nx_source_add("«string»", "/base", text, strlen(text));
    nx_parse_result r;
    nx_error err = { 0 };
    char *res = NULL;
    if (nx_parse(id, "/base", &r, &err) && nx_scope_resolve(r.root, &err)) {
        nx_buf b = { 0 };
        nx_print_ast(&b, r.root);
        res = b.data;
    } else if (err_out) {
        nx_buf b = { 0 };
        nx_buf_adds(&b, err.msg);
        nx_buf_adds(&b, " @ ");
        nx_pos_format(&b, err.pos);
        *err_out = b.data;
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
    return res;
}

static void check_parse(const char *text, const char *want)
{
    char *err = NULL;
    char *got = parse_print(text, &err);
    char name[128];
    size_t o = 0;
    for (const char *c = text; *c && o + 3 < sizeof name; c++) {
        if (*c == '\n') { name[o++] = '\\'; name[o++] = 'n'; }
        else name[o++] = *c;
    }
    name[o] = 0;
    TAP_STREQ(got ? got : err, want, "parse %s", name);
    free(got);
    free(err);
}

static void test_parser(void)
{
    check_parse("x: y: x - y * 2", "(x: (y: (__sub x (__mul y 2))))");
    check_parse("x: -x.a", "(x: (__sub 0 (x).a))");
    check_parse("x: !x + 1", "(x: (! (x + 1)))");
    check_parse("x: !x // x", "(x: ((! x) // x))");
    check_parse("x: x < 1 && x >= 2", "(x: ((__lessThan x 1) && (! (__lessThan x 2))))");
    check_parse("a: b: c: a -> b -> c", "(a: (b: (c: (a -> (b -> c)))))");
    check_parse("f: a: (f a) a", "(f: (a: (f a a)))");
    check_parse("x: x.a.b or 1", "(x: (x).a.b or (1))");
    check_parse("let or = 1; in f: f or", "(let or = 1; in (f: (f or)))");
    check_parse("{ b = 1; a.x = 2; a.y = 3; }", "{ a = { x = 2; y = 3; }; b = 1; }");
    check_parse("./a/../b", "/base/b");
    check_parse("<p>", "(__findFile __nixPath \"p\")");
    check_parse("''\n  a\n    b\n''", "\"a\\n  b\\n\"");
    check_parse("let { body = 1; }", "(rec { body = 1; }).body");
    check_parse("{ a = 1; a = 2; }", "attribute 'a' already defined at «string»:1:3 @ «string»:1:10");
    check_parse("1 < 2 < 3", "syntax error, unexpected '<' @ «string»:1:7");
    check_parse("{ a = 1 }", "syntax error, unexpected '}', expecting ';' @ «string»:1:9");
    check_parse("x: y", "undefined variable 'y' @ «string»:1:4");
    check_parse("with {}; y", "(with { }; y)");
    check_parse("let x = 1; in { inherit x; }", "(let x = 1; in { inherit x ; })");
    check_parse("{ a, a }: 1", "duplicate formal function argument 'a' @ «string»:1:6");
    check_parse("9223372036854775807", "9223372036854775807");
    check_parse("9223372036854775808", "invalid integer '9223372036854775808' @ «string»:1:1");
}

struct deep_job { char *text; char *res; };

static void deep_run(void *v)
{
    struct deep_job *j = v;
    j->res = parse_print(j->text, NULL);
}

static void test_deep_nesting(void)
{
    /* Must not overflow the C stack (run on the big-stack thread). */
    size_t n = 100000;
    char *text = malloc(2 * n + 2);
    memset(text, '[', n);
    text[n] = '1';
    memset(text + n + 1, ']', n);
    text[2 * n + 1] = 0;
    struct deep_job j = { text, NULL };
    nx_run_on_big_stack(deep_run, &j);
    TAP_OK(j.res && strncmp(j.res, "[ ([ ([ ", 8) == 0, "100000 nested lists parse");
    free(j.res);
    free(text);
}

/* scopedImport's scope: names outside the file shadow the base
 * environment and win over `with`; other names stay global. */
static void test_scope_names(void)
{
    const char *text = "x: [ (map x (with { map = 1; }; map)) toString nope ]";
    uint32_t id = nx_source_add("«string»", "/base", text, strlen(text));
    nx_sym names[2] = { nx_sym_intern_cstr("map"), nx_sym_intern_cstr("nope") };
    if (names[0] > names[1]) {
        nx_sym t = names[0];
        names[0] = names[1];
        names[1] = t;
    }
    nx_parse_result r;
    nx_error err = { 0 };
    bool ok = nx_parse(id, "/base", &r, &err) && nx_scope_resolve_in(r.root, names, 2, &err);
    TAP_OK(ok, "resolve with outer names");
    if (ok) {
        nx_n_lambda *l = (nx_n_lambda *)r.root;
        nx_n_list *list = (nx_n_list *)l->body;
        nx_n_call *c = (nx_n_call *)list->elems[0];
        nx_n_var *map = (nx_n_var *)c->fn, *x = (nx_n_var *)c->args[0];
        nx_n_with *w = (nx_n_with *)c->args[1];
        nx_n_var *wmap = (nx_n_var *)w->body;
        nx_n_var *ts = (nx_n_var *)list->elems[1], *nope = (nx_n_var *)list->elems[2];
        uint32_t map_slot = names[0] == map->name ? 0 : 1;
        TAP_OK(map->how == NX_VAR_LOCAL && map->level == 1 && map->index == map_slot, "map is the outer name, one level up");
        TAP_OK(x->how == NX_VAR_LOCAL && x->level == 0 && x->index == 0, "the lambda argument is unchanged");
        TAP_OK(wmap->how == NX_VAR_LOCAL && wmap->level == 2, "an outer name wins over with");
        TAP_OK(ts->how == NX_VAR_GLOBAL, "other names stay global");
        TAP_OK(nope->how == NX_VAR_LOCAL && nope->level == 1 && nope->index == 1 - map_slot, "a name unknown to the base environment");
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
}

/* Hashes and their encodings; expected values from `nix hash` (Nix 2.8). */
static void test_hashes(void)
{
    nx_hash h;
    char out[200];
    nx_hash_digest(NX_HASH_SHA256, "abc", 3, &h);
    nx_hash_format(out, &h, NX_HASH_NIX32, false);
    TAP_OK(strcmp(out, "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s") == 0, "nix32 of sha256(abc) (got %s)", out);
    nx_hash_format(out, &h, NX_HASH_SRI, true);
    TAP_OK(strcmp(out, "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=") == 0, "SRI of sha256(abc) (got %s)", out);
    nx_hash_format(out, &h, NX_HASH_BASE16, true);
    TAP_OK(strcmp(out, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0, "prefixed base16");
    uint8_t ff = 0xff;
    nx_nix32_encode(out, &ff, 1);
    TAP_OK(strcmp(out, "7z") == 0, "nix32 writes the high bits first (0xff -> %s)", out);
    const char *forms[] = { "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                            "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s",
                            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
                            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
                            "sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s" };
    int same = 0;
    for (size_t i = 0; i < 5; i++) {
        nx_hash p;
        char *err = NULL;
        if (nx_hash_parse(forms[i], strlen(forms[i]), i >= 3 ? -1 : NX_HASH_SHA256, &p, &err) && p.len == 32 &&
            memcmp(p.b, h.b, 32) == 0)
            same++;
        free(err);
    }
    TAP_OK(same == 5, "every encoding parses back to the same hash (%d of 5)", same);
    struct { const char *in; int algo; const char *msg; } bad[] = {
        { "abc", NX_HASH_SHA256, "hash 'abc' has wrong length for hash algorithm 'sha256'" },
        { "abc", -1, "hash 'abc' does not include a type, nor is the type otherwise known from context" },
        { "sha1:a9993e364706816aba3e25717850c26c9cd0d89d", NX_HASH_SHA256, "hash 'sha1:a9993e364706816aba3e25717850c26c9cd0d89d' should have type 'sha256'" },
        { "foo:abc", -1, "unknown hash algorithm 'foo', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'" },
        { "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5e", NX_HASH_SHA256, "invalid character in Nix32 (Nix's Base32 variation) string: 'e'" },
    };
    for (size_t i = 0; i < NX_ARRAY_LEN(bad); i++) {
        nx_hash p;
        char *err = NULL;
        bool ok = nx_hash_parse(bad[i].in, strlen(bad[i].in), bad[i].algo, &p, &err);
        TAP_OK(!ok && err && strcmp(err, bad[i].msg) == 0, "bad hash %zu: %s", i, err ? err : "(accepted)");
        free(err);
    }
}

/* NAR serialisation and store paths; expected values from nix-store --dump
 * and nix-instantiate 2.8 on tests/lang/eval-store-fixture. */
static void test_store_paths(void)
{
    const char *top = getenv("TOP_SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/lang/eval-store-fixture", top ? top : ".");
    nx_hash h;
    char *err = NULL, hex[200];
    bool ok = nx_nar_hash(dir, NX_HASH_SHA256, &h, &err);
    nx_hash_format(hex, &h, NX_HASH_BASE16, false);
    TAP_OK(ok && strcmp(hex, "d645ed9d096d4d607387538d5901ada16475495075cd9721c0d8b4d223049a78") == 0,
           "NAR hash of a directory with a file, an executable, a symlink and a subdirectory (got %s %s)", hex, err ? err : "");
    free(err);
    err = NULL;
    char file[4200];
    snprintf(file, sizeof file, "%s/hello.txt", dir);
    ok = nx_nar_hash(file, NX_HASH_SHA256, &h, &err);
    nx_hash_format(hex, &h, NX_HASH_BASE16, false);
    TAP_OK(ok && strcmp(hex, "1c37d01af40be2e80691de3cc3df44377a699afbb17c68f080964b2fd071fc13") == 0, "NAR hash of a file");
    free(err);
    err = NULL;
    TAP_OK(!nx_nar_hash("/nonexistent/x", NX_HASH_SHA256, &h, &err) && err, "a missing path is an error");
    free(err);

    char *p = nx_store_text_path("foo", "bar", 3, NULL, 0);
    TAP_OK(strcmp(p, "/nix/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo") == 0, "text path (toFile) (got %s)", p);
    free(p);
    const char *src = nx_store_copy_path(dir, &err);
    TAP_OK(src && strcmp(src, "/nix/store/88c6nhy771p58gsd3lw7qyc2cvnrw7x4-eval-store-fixture") == 0, "source path of a directory (got %s)", src ? src : err);
    nx_hash fixed;
    nx_hash_parse("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", 51, -1, &fixed, &err);
    p = nx_store_fixed_path("fixed", false, &fixed);
    TAP_OK(strcmp(p, "/nix/store/jspds48qb346qg0qzb3v8ibysj3zcq7y-fixed") == 0, "flat fixed-output path (got %s)", p);
    free(p);
    p = nx_store_placeholder("out");
    TAP_OK(strcmp(p, "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9") == 0, "placeholder of out");
    free(p);
    struct { const char *name, *msg; } names[] = {
        { "a b", "name 'a b' contains illegal character ' '" },
        { "", "name must not be empty" },
        { ".", "name '.' is not valid" },
        { "..-x", "name '..-x' is not valid: first dash-separated component must not be '..'" },
        { "ok+-._?=", NULL },
    };
    for (size_t i = 0; i < NX_ARRAY_LEN(names); i++) {
        char *m = nx_store_check_name(names[i].name, strlen(names[i].name));
        TAP_OK(names[i].msg ? m && strcmp(m, names[i].msg) == 0 : !m, "name check '%s': %s", names[i].name, m ? m : "valid");
        free(m);
    }
}

/* The ATerm form and the derivation's paths, as CppNix writes them. */
static void test_derivation(void)
{
    nx_drv d = { 0 };
    d.name = strdup("a");
    d.builder = strdup("b");
    d.platform = strdup("c");
    nx_drv_setenv(&d, "system", "c");
    nx_drv_setenv(&d, "name", "a");
    nx_drv_setenv(&d, "builder", "b");
    nx_drv_setenv(&d, "out", "");
    nx_drv_add_output(&d, "out", "", "", "");
    char *path = NULL, *err = NULL;
    bool ok = nx_drv_instantiate(&d, &path, &err);
    TAP_OK(ok && strcmp(path, "/nix/store/arhvjaf6zmlyn8vh8fgn55rpwnxq0n7l-a.drv") == 0, "drv path (got %s)", path ? path : err);
    size_t len;
    char *text = nx_drv_unparse(&d, false, NULL, &len);
    TAP_OK(strcmp(text, "Derive([(\"out\",\"/nix/store/s6glliw064sgl7vix22p91cxsx7ml1rf-a\",\"\",\"\")],[],[],\"c\",\"b\",[],"
                        "[(\"builder\",\"b\"),(\"name\",\"a\"),(\"out\",\"/nix/store/s6glliw064sgl7vix22p91cxsx7ml1rf-a\"),(\"system\",\"c\")])") == 0,
           "ATerm text (got %s)", text);
    free(text);
    free(path);
    nx_drv_free(&d);
}

/* Prints e in modern CppNix's layout into a string (caller frees). */
static char *print_modern(const nx_error *e, bool full)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    nx_error_print_modern(f, e, full);
    fclose(f);
    return out;
}

/* The trace layout of showErrorInfo (CppNix libutil/error.cc): outermost
 * entry first, an entry with a position counts twice towards the short
 * trace's limit of 3, `always` entries survive truncation, and more than
 * 5 repeats of seen entries fold into one line. */
static void test_trace_layout(void)
{
    const char *text = "a\nb";
    uint32_t id = nx_source_add("«string»", "/", text, strlen(text));
    nx_error e = { 0 };
    nx_error_set(&e, NX_NOPOS, "msg");
    nx_error_add_trace(&e, NX_NOPOS, false, "inner");
    nx_error_add_trace(&e, NX_NOPOS, true, "ctx");
    nx_error_add_trace(&e, NX_NOPOS, false, "mid");
    nx_error_add_trace(&e, (nx_pos){ id, 2 }, false, "B");
    nx_error_add_trace(&e, NX_NOPOS, false, "A");
    char *got = print_modern(&e, false);
    TAP_STREQ(got,
              "error:\n"
              "       \xe2\x80\xa6 A\n\n"
              "       \xe2\x80\xa6 B\n"
              "         at \xc2\xab" "string\xc2\xbb:2:1:\n"
              "            1| a\n"
              "            2| b\n"
              "             | ^\n\n"
              "       \xe2\x80\xa6 mid\n\n"
              "       \xe2\x80\xa6 ctx\n\n"
              "       (stack trace truncated; use '--show-trace' to show the full, detailed trace)\n\n"
              "       error: msg\n",
              "short trace: limit, positions count twice, always entries kept");
    free(got);
    got = print_modern(&e, true);
    TAP_OK(got && strstr(got, "inner") && !strstr(got, "truncated"), "full trace keeps every entry");
    free(got);
    nx_error_clear(&e);

    nx_error_set(&e, (nx_pos){ id, 0 }, "deep");
    for (int i = 0; i < 8; i++) nx_error_add_trace(&e, NX_NOPOS, false, "rec");
    nx_error_add_trace(&e, NX_NOPOS, false, "top");
    got = print_modern(&e, true);
    TAP_STREQ(got,
              "error:\n"
              "       \xe2\x80\xa6 top\n\n"
              "       \xe2\x80\xa6 rec\n\n"
              "       (7 duplicate frames omitted)\n\n"
              "       error: deep\n"
              "       at \xc2\xab" "string\xc2\xbb:1:1:\n"
              "            1| a\n"
              "             | ^\n"
              "            2| b\n",
              "repeated entries fold; the message's position has no blank line before it");
    free(got);
    nx_error_clear(&e);
}

/* nx_sort_nearly: sorted, nearly sorted (insertion sort) and shuffled
 * (qsort takes over) arrays come out sorted and stable: keys repeat, and
 * each element's index says whether equal keys kept their order. */
typedef struct { int key, idx; } sort_elem;
static int cmp_sort_elem(const void *a, const void *b)
{
    const sort_elem *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void test_sort_nearly(void)
{
    static sort_elem v[3000];
    unsigned seed = 12345;
    for (int kind = 0; kind < 4; kind++) {
        size_t n = kind == 3 ? 7 : 3000;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            int key = kind == 0 ? (int)i / 3 : kind == 1 ? (int)i / 3 + ((seed >> 16) % 8 == 0 ? (int)((seed >> 8) % 5) - 2 : 0)
                                                         : (int)((seed >> 16) % 500);
            v[i] = (sort_elem){ key, (int)i };
        }
        if (kind == 3) for (size_t i = 0; i < n; i++) v[i].key = (int)(n - i) / 2;
        nx_sort_nearly(v, n, sizeof *v, cmp_sort_elem);
        bool ok = true;
        for (size_t i = 1; i < n; i++)
            if (v[i - 1].key > v[i].key || (v[i - 1].key == v[i].key && v[i - 1].idx > v[i].idx)) ok = false;
        TAP_OK(ok, "nx_sort_nearly sorts stably (%s)", kind == 0 ? "sorted" : kind == 1 ? "nearly sorted" : kind == 2 ? "shuffled" : "reversed, short");
    }
    nx_sort_nearly(NULL, 0, sizeof *v, cmp_sort_elem);
    TAP_OK(1, "nx_sort_nearly accepts an empty NULL array");
}

int main(void)
{
    test_symbols();
    test_lines();
    test_lexer();
    test_parser();
    test_deep_nesting();
    test_scope_names();
    test_hashes();
    test_store_paths();
    test_sort_nearly();
    test_derivation();
    test_trace_layout();
    return TAP_DONE();
}
