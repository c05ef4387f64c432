// eval_bench.cc — Google Benchmark harness for nixe's evaluator on
// builtin-heavy expressions (issue 4: regex-heavy and JSON-heavy cases).
//
// Each benchmark compiles one Nix expression once and evaluates it (to
// weak head normal form: every expression returns an integer or a Boolean
// whose computation touches all the work) once per iteration, in process,
// through nixe's C API.  Items/s counts input strings (regex, strings) or
// records (JSON) per CPU second.
//
//   BM_StringsBaseline  builds the N input strings and sums their lengths:
//                       the part of the regex cases that is not regex work
//   BM_RegexMatch       builtins.match with 4 distinct regexes (groups,
//                       alternation, a literal) over N strings
//   BM_RegexSplit       builtins.split with a bracket regex, a regex with a
//                       group and a literal (memmem path) over N strings
//   BM_ToJSON           builtins.toJSON of N records (nested sets, lists,
//                       strings with escapes, floats, Booleans)
//   BM_FromJSON         builtins.fromJSON of the same document, held as a
//                       string constant in the code (so parsing the Nix
//                       source is not timed), forced deeply with deepSeq
//   BM_JSONBaseline     building the N records without converting them
//
// N is NIXE_BENCH_ITEMS (default 20000).  Build: `make bench/eval_bench`
// (or `make bench`); needs libbenchmark-dev.

extern "C" {
#include "vm/compile.h"
#include "vm/heap.h"
#include "vm/nixe.h"
#include "vm/print_value.h"
#include "vm/vm.h"
}

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

nx_vm *vm;
nx_value result; // a registered root

unsigned items()
{
    const char *e = getenv("NIXE_BENCH_ITEMS");
    return e && atoi(e) > 0 ? (unsigned)atoi(e) : 20000;
}

// Parses and compiles src once (aborts on error: the expressions are ours).
nx_code *compile(const std::string &src)
{
    uint32_t id = nx_source_add("/bench/input.nix", "/bench", src.data(), src.size());
    nx_parse_result r;
    nx_error err = {};
    nx_code *code = nullptr;
    if (nx_parse(id, "/bench", &r, &err) && nx_scope_resolve(r.root, &err)) code = nx_compile(r.root);
    if (!code) {
        nx_error_print(stderr, &err);
        abort();
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
    return code;
}

// Evaluates code, aborting with the error on failure.
void eval(nx_code *code)
{
    if (!nx_vm_run(vm, code, nullptr, &result)) {
        nx_error_print(stderr, &vm->err);
        abort();
    }
}

std::string strings_expr()
{
    return "builtins.genList (i: \"pkg-${toString i}.${toString (i * 7 - i / 3 * 5)}-rc${toString (i - i / 4 * 4)}\") " +
           std::to_string(items());
}

std::string records_expr()
{
    return "builtins.genList (i: { name = \"n${toString i}\"; version = \"1.${toString i}\"; "
           "description = \"a \\\"quoted\\\"\\tdescription\\nline ${toString i}\"; "
           "deps = builtins.genList (j: \"d${toString (i + j)}\") 5; "
           "meta = { license = \"mit\"; broken = i / 2 * 2 == i; priority = i * 1.5; maintainers = [ ]; }; }) " +
           std::to_string(items());
}

void run_expr(benchmark::State &state, const std::string &src)
{
    nx_code *code = compile(src);
    for (auto _ : state) eval(code);
    state.SetItemsProcessed((int64_t)state.iterations() * items());
}

void BM_StringsBaseline(benchmark::State &state)
{
    run_expr(state, "builtins.foldl' (acc: s: acc + builtins.stringLength s) 0 (" + strings_expr() + ")");
}

void BM_RegexMatch(benchmark::State &state)
{
    run_expr(state, "let res = [ \"([a-z]+)-([0-9]+)\\\\.([0-9]+)-rc(.)\" \"(.*)-rc(0|2)\" \"[a-z]+-[0-9]*\" \"pkg-1.7-rc1\" ]; in "
                    "builtins.foldl' (acc: s: acc + builtins.length (builtins.filter (r: builtins.match r s != null) res)) 0 (" +
                        strings_expr() + ")");
}

void BM_RegexSplit(benchmark::State &state)
{
    run_expr(state, "builtins.foldl' (acc: s: acc + builtins.length (builtins.split \"[.-]\" s) "
                    "+ builtins.length (builtins.split \"(rc)\" s) + builtins.length (builtins.split \"-\" s)) 0 (" +
                        strings_expr() + ")");
}

void BM_JSONBaseline(benchmark::State &state)
{
    run_expr(state, "builtins.foldl' (acc: r: acc + builtins.length r.deps) 0 (" + records_expr() + ")");
}

void BM_ToJSON(benchmark::State &state)
{
    run_expr(state, "builtins.stringLength (builtins.toJSON (" + records_expr() + "))");
}

void BM_FromJSON(benchmark::State &state)
{
    // The document, made once by nixe's own toJSON, becomes a string
    // literal of the timed expression.
    nx_code *mk = compile("builtins.toJSON (" + records_expr() + ")");
    eval(mk);
    if (!nx_is_string(result)) abort();
    std::string doc(nx_str(result)->s, nx_str_len(result)), lit;
    for (char c : doc) {
        if (c == '"' || c == '\\' || c == '$') lit += '\\';
        if (c == '\n') lit += "\\n";
        else if (c == '\t') lit += "\\t";
        else lit += c;
    }
    state.counters["bytes"] = (double)doc.size();
    run_expr(state, "let v = builtins.fromJSON \"" + lit + "\"; in builtins.deepSeq v (builtins.length v)");
    state.SetBytesProcessed((int64_t)state.iterations() * (int64_t)doc.size());
}

} // namespace

BENCHMARK(BM_StringsBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegexMatch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegexSplit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JSONBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ToJSON)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FromJSON)->Unit(benchmark::kMillisecond);

int main(int argc, char **argv)
{
    nx_globals_init();
    vm = nx_vm_new(100000);
    nx_gc_add_root(&result);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
