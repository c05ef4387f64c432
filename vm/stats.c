/* stats.c — NIX_SHOW_STATS: CppNix's statistics keys, filled from nixe's
 * counters and collector (docs/memory.md says what each means here). */
#include "vm/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "vm/code.h"
#include "vm/heap.h"
#include "vm/source.h"
#include "vm/value.h"
#include "vm/vm.h"

nx_counters nx_count;
bool nx_count_calls;

/* Builtin → calls, open addressing on the builtin's address. */
typedef struct { const nx_builtin *b; uint64_t n; } primop_count;
static primop_count *pcounts;
static size_t npcounts, cappcounts;

void nx_stats_init(void)
{
    const char *e = getenv("NIX_COUNT_CALLS");
    nx_count_calls = e && *e && strcmp(e, "0") != 0;
}

void nx_count_primop(const nx_builtin *b)
{
    if (npcounts * 2 >= cappcounts) {
        size_t oc = cappcounts;
        primop_count *old = pcounts;
        cappcounts = oc ? oc * 2 : 256;
        pcounts = nx_xcalloc(cappcounts, sizeof *pcounts);
        for (size_t i = 0; i < oc; i++)
            if (old[i].b) {
                size_t h = ((uintptr_t)old[i].b >> 4) & (cappcounts - 1);
                while (pcounts[h].b) h = (h + 1) & (cappcounts - 1);
                pcounts[h] = old[i];
            }
        free(old);
    }
    size_t h = ((uintptr_t)b >> 4) & (cappcounts - 1);
    while (pcounts[h].b && pcounts[h].b != b) h = (h + 1) & (cappcounts - 1);
    if (!pcounts[h].b) pcounts[h].b = b, npcounts++;
    pcounts[h].n++;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static int cmp_pcount(const void *x, const void *y)
{
    const primop_count *a = x, *b = y;
    if (a->n != b->n) return a->n < b->n ? 1 : -1;
    return strcmp(a->b->name, b->b->name);
}

static int cmp_code(const void *x, const void *y)
{
    const nx_lambda_code *a = *(nx_lambda_code *const *)x, *b = *(nx_lambda_code *const *)y;
    return a->ncalls != b->ncalls ? (a->ncalls < b->ncalls ? 1 : -1) : 0;
}

/* NIX_COUNT_CALLS: CppNix's "primops" object and "functions" list, most
 * called first. */
static void print_calls(FILE *out)
{
    primop_count *p = nx_xmalloc((npcounts + 1) * sizeof *p);
    size_t n = 0;
    for (size_t i = 0; i < cappcounts; i++)
        if (pcounts[i].b) p[n++] = pcounts[i];
    qsort(p, n, sizeof *p, cmp_pcount);
    fputs(",\n  \"primops\": {", out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_string(out, p[i].b->name);
        fprintf(out, ": %llu", (unsigned long long)p[i].n);
    }
    fputs(n ? "\n  }" : "}", out);
    free(p);
    size_t nl = 0;
    for (nx_lambda_code *c = nx_code_lambdas(); c; c = c->next_lambda) nl += c->ncalls > 0;
    nx_lambda_code **v = nx_xmalloc((nl + 1) * sizeof *v);
    nl = 0;
    for (nx_lambda_code *c = nx_code_lambdas(); c; c = c->next_lambda)
        if (c->ncalls) v[nl++] = c;
    qsort(v, nl, sizeof *v, cmp_code);
    fputs(",\n  \"functions\": [", out);
    for (size_t i = 0; i < nl; i++) {
        nx_source *src = nx_source_get(v[i]->c.pos.src);
        uint32_t line = 0, col = 0;
        if (src) nx_source_linecol(src, v[i]->c.pos.off, &line, &col);
        fputs(i ? ",\n    { \"name\": " : "\n    { \"name\": ", out);
        if (v[i]->name) json_string(out, nx_sym_str(v[i]->name));
        else fputs("null", out);
        fputs(", \"file\": ", out);
        json_string(out, src ? src->name : "");
        fprintf(out, ", \"line\": %u, \"column\": %u, \"count\": %llu }", line, col,
                (unsigned long long)v[i]->ncalls);
    }
    fputs(nl ? "\n  ]" : "]", out);
    free(v);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

void nx_stats_maybe_print(void)
{
    const char *show = getenv("NIX_SHOW_STATS");
    if (!show || !*show || strcmp(show, "0") == 0) return;
    const char *path = getenv("NIX_SHOW_STATS_PATH");
    FILE *out = stderr;
    if (path && *path) {
        out = fopen(path, "w");
        if (!out) {
            fprintf(stderr, "error: opening '%s' for NIX_SHOW_STATS_PATH failed\n", path);
            return;
        }
    }
    nx_gc_stats gc;
    nx_gc_get_stats(&gc);
    uint64_t nsyms, symbytes;
    nx_sym_stats(&nsyms, &symbytes);
    double cpu = cpu_seconds();
    const nx_counters *c = &nx_count;
    const size_t env_hdr = sizeof(nx_env), attrs_hdr = sizeof(nx_attrs);
    fprintf(out,
            "{\n"
            "  \"cpuTime\": %.6f,\n"
            "  \"time\": {\n    \"cpu\": %.6f,\n    \"gc\": %.6f,\n    \"gcFraction\": %.6f\n  },\n"
            "  \"envs\": {\n    \"number\": %llu,\n    \"elements\": %llu,\n    \"bytes\": %llu\n  },\n"
            "  \"list\": {\n    \"elements\": %llu,\n    \"bytes\": %llu,\n    \"concats\": %llu\n  },\n"
            "  \"values\": {\n    \"number\": %llu,\n    \"bytes\": %llu\n  },\n"
            "  \"symbols\": {\n    \"number\": %llu,\n    \"bytes\": %llu\n  },\n"
            "  \"sets\": {\n    \"number\": %llu,\n    \"bytes\": %llu,\n    \"elements\": %llu\n  },\n"
            "  \"sizes\": {\n    \"Env\": %zu,\n    \"Value\": %zu,\n    \"Bindings\": %zu,\n    \"Attr\": %zu\n  },\n"
            "  \"nrOpUpdates\": %llu,\n  \"nrOpUpdateValuesCopied\": %llu,\n"
            "  \"nrThunks\": %llu,\n  \"nrAvoided\": %llu,\n  \"nrLookups\": %llu,\n"
            "  \"nrPrimOpCalls\": %llu,\n  \"nrFunctionCalls\": %llu,\n"
            "  \"gc\": {\n    \"heapSize\": %llu,\n    \"totalBytes\": %llu,\n    \"cycles\": %llu,\n"
            "    \"liveBytes\": %llu,\n    \"majorCycles\": %llu\n  }",
            cpu, cpu, gc.seconds, cpu > 0 ? gc.seconds / cpu : 0.0,
            (unsigned long long)c->envs, (unsigned long long)c->env_slots,
            (unsigned long long)(c->envs * env_hdr + c->env_slots * sizeof(nx_value)),
            (unsigned long long)c->list_elems, (unsigned long long)(c->list_elems * sizeof(nx_value)),
            (unsigned long long)c->list_concats,
            (unsigned long long)c->values, (unsigned long long)c->value_bytes,
            (unsigned long long)nsyms, (unsigned long long)symbytes,
            (unsigned long long)c->sets, (unsigned long long)(c->sets * attrs_hdr + c->set_elems * sizeof(nx_attr)),
            (unsigned long long)c->set_elems,
            env_hdr, sizeof(nx_value), attrs_hdr, sizeof(nx_attr),
            (unsigned long long)c->updates, (unsigned long long)c->update_copied,
            (unsigned long long)c->thunks, (unsigned long long)c->avoided, (unsigned long long)c->lookups,
            (unsigned long long)c->primop_calls, (unsigned long long)c->calls,
            (unsigned long long)gc.heap_bytes, (unsigned long long)gc.total_bytes, (unsigned long long)gc.cycles,
            (unsigned long long)gc.live_bytes, (unsigned long long)gc.major_cycles);
    if (nx_count_calls) print_calls(out);
    fputs("\n}\n", out);
    if (out != stderr) fclose(out);
}
