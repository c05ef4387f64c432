/* test_unit.c — unit tests of the front end's building blocks: symbols,
 * line indexes, the lexer's longest-match rules, the parser's desugaring
 * and error positions.  Output is TAP. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "vm/lexer.h"
#include "vm/nixe.h"

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

int main(void)
{
    test_symbols();
    test_lines();
    test_lexer();
    test_parser();
    test_deep_nesting();
    test_scope_names();
    return TAP_DONE();
}
