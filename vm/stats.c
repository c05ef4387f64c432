/* stats.c — NIX_SHOW_STATS: CppNix's statistics keys, filled from nixe's
 * counters and collector (docs/memory.md says what each means here). */
#include "vm/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "vm/heap.h"
#include "vm/value.h"

nx_counters nx_count;

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
            "  \"nrThunks\": %llu,\n  \"nrLookups\": %llu,\n"
            "  \"nrPrimOpCalls\": %llu,\n  \"nrFunctionCalls\": %llu,\n"
            "  \"gc\": {\n    \"heapSize\": %llu,\n    \"totalBytes\": %llu,\n    \"cycles\": %llu,\n"
            "    \"liveBytes\": %llu\n  }\n"
            "}\n",
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
            (unsigned long long)c->thunks, (unsigned long long)c->lookups,
            (unsigned long long)c->primop_calls, (unsigned long long)c->calls,
            (unsigned long long)gc.heap_bytes, (unsigned long long)gc.total_bytes, (unsigned long long)gc.cycles,
            (unsigned long long)gc.live_bytes);
    if (out != stderr) fclose(out);
}
