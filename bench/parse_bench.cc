// parse_bench.cc — Google Benchmark harness for nixe's front end.
//
// Benchmarks (each reports bytes/second of Nix source):
//   BM_Parse/<input>         nx_parse + nx_parse_free
//   BM_ParseResolve/<input>  nx_parse + nx_scope_resolve + nx_parse_free
//   BM_ParsePrint/<input>    nx_parse + nx_print_ast (+ nx_buf_free) + nx_parse_free
//
// Inputs:
//   synthetic   an attribute set of derivation-like records generated in
//               process (deterministic; ~5 MB by default, byte-identical to
//               the file bench/run.sh generates with awk).  The record count
//               can be changed with NIXE_BENCH_SYNTH_RECORDS.
//   files       every file named in NIXE_BENCH_FILES (colon-separated), e.g.
//               NIXE_BENCH_FILES=$NIXPKGS/pkgs/top-level/all-packages.nix
//
// Each input is registered with nx_source_add once, before any timing (the
// source registry only grows).  All benchmarks run on one big-stack thread
// (nx_run_on_big_stack) so that deeply nested inputs from NIXE_BENCH_FILES
// cannot overflow the C stack; the thread is created once, not per
// iteration.
//
// Extra options (besides the usual --benchmark_* flags):
//   --dump-synthetic FILE    write the synthetic input to FILE and exit.
//
// Build: `make bench` (or `make bench/parse_bench`); needs libbenchmark-dev.

extern "C" {
#include "vm/nixe.h"
}

#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <limits.h>
#include <unistd.h>

namespace {

// ---- the synthetic input ---------------------------------------------------
//
// Keep in sync with the awk generator in bench/run.sh (gen_synthetic): both
// must produce the same bytes for the same record count, which
// `parse_bench --dump-synthetic F` lets you check with cmp.

constexpr unsigned kDefaultRecords = 4400;

const char kBase32[] = "0123456789abcdfghijklmnpqrsvwxyz";
const char *const kLicenses[] = { "mit", "gpl2Plus", "bsd3", "asl20", "lgpl21" };

std::string num(unsigned long v) { return std::to_string(v); }

// An earlier record that defines pkg<j> (records with i % 8 == 3 define
// tool<i> instead).
unsigned dep_of(unsigned i)
{
    unsigned j = i / 2;
    return j % 8 == 3 ? j - 1 : j;
}

void gen_record(std::string &o, unsigned i)
{
    const std::string n = num(i);
    const unsigned flavour = i % 8;
    if (flavour == 3) {
        // all-packages.nix style one-liner.
        o += "  # tool" + n + " comes from ./tools\n";
        o += "  tool" + n + " = callPackage ./tools/tool" + n + " { inherit (pkgs) zlib; enableFoo = " +
             (i % 3 == 0 ? "true" : "false") + "; };\n";
        return;
    }
    if (flavour == 6 && i > 0) {
        const std::string j = num(dep_of(i));
        o += "  /* an override, as in all-packages.nix */\n";
        o += "  pkg" + n + " = pkg" + j + ".override { enableFoo = !(pkg" + j +
             ".enableFoo or false); extraFlags = [ \"-DLEVEL=" + num(i % 9) + "\" ]; };\n";
        return;
    }
    std::string sha;
    for (unsigned k = 0; k < 52; k++) sha += kBase32[(i * 31 + k * 17 + (i * k) % 7) % 32];
    o += "  pkg" + n + " = callPackage ({ stdenv, fetchurl, zlib, openssl ? null, enableFoo ? " +
         (i % 2 == 0 ? "true" : "false") + ", ... }:\n";
    o += "    let\n";
    o += "      version = \"" + num(i % 7) + "." + num(i % 13) + "." + num(i % 100) + "\";\n";
    o += "      deps = [ zlib ] ++ optional (openssl != null) openssl;\n";
    o += "    in\n";
    o += "    assert enableFoo -> openssl != null;\n";
    o += "    stdenv.mkDerivation rec {\n";
    o += "      pname = \"pkg" + n + "\";\n";
    o += "      inherit version;\n";
    o += "      src = fetchurl {\n";
    o += "        url = \"https://example.org/releases/${pname}/${pname}-${version}.tar.gz\";\n";
    o += "        sha256 = \"" + sha + "\";\n";
    o += "      };\n";
    o += "      buildInputs = deps" + (i > 0 ? " ++ [ pkg" + num(dep_of(i)) + " ]" : std::string()) + ";\n";
    o += "      patches = [ ./patches/pkg" + n + "-fix-build.patch ];\n";
    o += "      configureFlags = [ \"--with-level=${toString (" + num(i % 9) +
         " + 1)}\" \"--enable-shared\" ] ++ optionals enableFoo [ \"--enable-foo\" ];\n";
    o += "      NIX_CFLAGS_COMPILE = if stdenv.isDarwin then \"-Wno-error\" else \"-O" + num(i % 3) + "\";\n";
    o += "      doCheck = " + num(i % 5) + " < 3 && !stdenv.isDarwin;\n";
    o += "      jobs = " + num(i % 16) + " * 2 - 1;\n";
    o += "      weight = " + num(i % 10) + ".5;\n";
    o += "      postInstall = ''\n";
    o += "        mkdir -p $out/share/doc/${pname}\n";
    o += "        cp -r doc/* $out/share/doc/${pname}/ || true\n";
    o += "        substituteInPlace $out/bin/pkg" + n + " --replace /usr/bin ${stdenv.shell}\n";
    o += "      '';\n";
    o += "      passthru.tests = { simple = x: x.pkg" + n + " or null; hasFoo = args ? enableFoo; };\n";
    o += "      meta = with lib; {\n";
    o += "        description = \"Synthetic package number " + n + " for the nixe parser benchmark\";\n";
    o += "        homepage = \"https://example.org/pkg" + n + "\";\n";
    o += "        license = licenses." + std::string(kLicenses[i % 5]) + ";\n";
    o += "        maintainers = with maintainers; [ alice bob ];\n";
    o += "        platforms = platforms.unix;\n";
    o += "      };\n";
    o += "    }) { };\n";
}

std::string gen_synthetic(unsigned records)
{
    std::string o;
    o.reserve((size_t)records * 1200 + 1024);
    o += "# Synthetic input for the nixe parse benchmarks (bench/run.sh, bench/parse_bench.cc).\n";
    o += "# " + num(records) + " derivation-like records; generated, deterministic.\n";
    o += "{ lib, stdenv, fetchurl, callPackage, pkgs ? { }, ... }@args:\n";
    o += "\n";
    o += "let\n";
    o += "  inherit (lib) optional optionals;\n";
    o += "  mkVersion = major: minor: \"${toString major}.${toString minor}\";\n";
    o += "in\n";
    o += "rec {\n";
    for (unsigned i = 0; i < records; i++) gen_record(o, i);
    o += "  versions = map (v: mkVersion v (v * 2)) [ 1 2 3 ];\n";
    o += "}\n";
    return o;
}

// ---- inputs ----------------------------------------------------------------

struct Input {
    std::string name;  // shown in the benchmark name
    std::string dir;   // base directory for relative path literals
    uint32_t src;      // nx_source id (registered once)
    size_t len;
};

std::string cwd()
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return "/";
    return buf;
}

bool read_file(const std::string &path, std::string &out)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return !f.bad();
}

std::string abs_dir_of(const std::string &path)
{
    std::string p = path[0] == '/' ? path : cwd() + "/" + path;
    size_t slash = p.rfind('/');
    return slash == 0 ? std::string("/") : p.substr(0, slash);
}

std::string base_name(const std::string &path)
{
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Checks once, outside any timing, that the input parses and resolves.
bool check_input(const Input &in)
{
    nx_parse_result r;
    nx_error err;
    std::memset(&err, 0, sizeof err);
    bool ok = nx_parse(in.src, in.dir.c_str(), &r, &err) && nx_scope_resolve(r.root, &err);
    if (!ok) {
        std::fprintf(stderr, "parse_bench: %s does not parse; skipping it:\n", in.name.c_str());
        nx_error_print(stderr, &err);
    }
    nx_parse_free(&r);
    nx_error_clear(&err);
    return ok;
}

// ---- the benchmarks --------------------------------------------------------

enum class Mode { Parse, ParseResolve, ParsePrint };

void run_bench(benchmark::State &state, const Input *in, Mode mode)
{
    size_t ast_bytes = 0, out_bytes = 0;
    for (auto _ : state) {
        nx_parse_result r;
        nx_error err;
        std::memset(&err, 0, sizeof err);
        bool ok = nx_parse(in->src, in->dir.c_str(), &r, &err);
        if (ok && mode == Mode::ParseResolve) ok = nx_scope_resolve(r.root, &err);
        if (ok && mode == Mode::ParsePrint) {
            nx_buf out;
            std::memset(&out, 0, sizeof out);
            nx_print_ast(&out, r.root);
            benchmark::DoNotOptimize(out.data);
            out_bytes = out.len;
            nx_buf_free(&out);
        }
        benchmark::DoNotOptimize(r.root);
        ast_bytes = r.arena.total;
        nx_parse_free(&r);
        if (!ok) {
            state.SkipWithError(err.msg ? err.msg : "parse failed");
            nx_error_clear(&err);
            break;
        }
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed((int64_t)state.iterations() * (int64_t)in->len);
    state.counters["src_bytes"] = (double)in->len;
    state.counters["ast_bytes"] = (double)ast_bytes;
    if (mode == Mode::ParsePrint) state.counters["out_bytes"] = (double)out_bytes;
}

std::vector<Input> g_inputs;

void register_all()
{
    static const struct { const char *name; Mode mode; } kModes[] = {
        { "BM_Parse", Mode::Parse },
        { "BM_ParseResolve", Mode::ParseResolve },
        { "BM_ParsePrint", Mode::ParsePrint },
    };
    for (const auto &m : kModes)
        for (const Input &in : g_inputs)
            benchmark::RegisterBenchmark((std::string(m.name) + "/" + in.name).c_str(), run_bench, &in, m.mode)
                ->Unit(benchmark::kMillisecond);
}

unsigned synth_records()
{
    const char *e = std::getenv("NIXE_BENCH_SYNTH_RECORDS");
    if (!e || !*e) return kDefaultRecords;
    char *end;
    unsigned long v = std::strtoul(e, &end, 10);
    if (*end || v == 0 || v > 10000000) {
        std::fprintf(stderr, "parse_bench: bad NIXE_BENCH_SYNTH_RECORDS '%s'; using %u\n", e, kDefaultRecords);
        return kDefaultRecords;
    }
    return (unsigned)v;
}

void run_specified(void *)
{
    benchmark::RunSpecifiedBenchmarks();
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--dump-synthetic") == 0) {
        std::string text = gen_synthetic(synth_records());
        FILE *f = std::strcmp(argv[2], "-") == 0 ? stdout : std::fopen(argv[2], "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || (f != stdout && std::fclose(f) != 0)) {
            std::fprintf(stderr, "parse_bench: writing %s: %s\n", argv[2], std::strerror(errno));
            return 1;
        }
        return 0;
    }

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    // Register every input once, before any timing.
    std::vector<Input> inputs;
    {
        std::string text = gen_synthetic(synth_records());
        std::string dir = cwd();
        uint32_t id = nx_source_add("synthetic.nix", dir.c_str(), text.data(), text.size());
        inputs.push_back(Input{ "synthetic", dir, id, text.size() });
    }
    if (const char *files = std::getenv("NIXE_BENCH_FILES")) {
        std::string list = files;
        size_t start = 0;
        while (start <= list.size()) {
            size_t colon = list.find(':', start);
            if (colon == std::string::npos) colon = list.size();
            std::string path = list.substr(start, colon - start);
            start = colon + 1;
            if (path.empty()) continue;
            std::string text;
            if (!read_file(path, text)) {
                std::fprintf(stderr, "parse_bench: cannot read %s: %s; skipping it\n", path.c_str(),
                             std::strerror(errno));
                continue;
            }
            std::string dir = abs_dir_of(path);
            uint32_t id = nx_source_add(path.c_str(), dir.c_str(), text.data(), text.size());
            inputs.push_back(Input{ base_name(path), dir, id, text.size() });
        }
    }

    // Validate on the big stack too (a deeply nested file must not crash here).
    struct Check { std::vector<Input> *in; std::vector<Input> *out; } chk = { &inputs, &g_inputs };
    nx_run_on_big_stack(
        [](void *v) {
            Check *c = static_cast<Check *>(v);
            for (const Input &in : *c->in)
                if (check_input(in)) c->out->push_back(in);
        },
        &chk);
    if (g_inputs.empty()) return 1;

    register_all();
    nx_run_on_big_stack(run_specified, nullptr);
    benchmark::Shutdown();
    return 0;
}
