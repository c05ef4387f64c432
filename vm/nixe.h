/* nixe.h — nixe's C API (used by the CLI, the benchmarks and embedders). */
#ifndef NX_NIXE_H
#define NX_NIXE_H

#include "vm/ast.h"
#include "vm/error.h"
#include "vm/parser.h"
#include "vm/print_ast.h"
#include "vm/scope.h"
#include "vm/source.h"

#define NX_VERSION_STRING "nixe 0.1.0"

/* --trace-verbose: builtins.traceVerbose prints like builtins.trace. */
void nx_set_trace_verbose(bool on);
/* --abort-on-warn: builtins.warn fails after printing (also set by
 * NIX_ABORT_ON_WARN=1|yes|true). */
void nx_set_abort_on_warn(bool on);
/* --extra-experimental-features: the ones nixe knows change behaviour
 * (parse-toml-timestamps); others are accepted and ignored. */
void nx_enable_experimental_feature(const char *name);

#endif
