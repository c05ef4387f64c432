/* globals.c — the names of CppNix's base environment.  Until the builtins
 * registry (vm/builtins/) provides them, this is the list the scope
 * checker uses: the unprefixed globals and every `__name` builtin. */
#include <string.h>

#include "vm/scope.h"

static const char *const global_names[] = {
    "abort", "baseNameOf", "break", "builtins", "derivation", "derivationStrict", "dirOf",
    "false", "fetchGit", "fetchMercurial", "fetchTarball", "fetchTree", "fromTOML",
    "import", "isNull", "map", "null", "placeholder", "removeAttrs", "scopedImport",
    "throw", "toString", "true",
    "__add", "__addDrvOutputDependencies", "__addErrorContext", "__all", "__any",
    "__appendContext", "__attrNames", "__attrValues", "__bitAnd", "__bitOr", "__bitXor",
    "__catAttrs", "__ceil", "__compareVersions", "__concatLists", "__concatMap",
    "__concatStringsSep", "__convertHash", "__currentSystem", "__currentTime", "__deepSeq",
    "__div", "__elem", "__elemAt", "__fetchurl", "__filter", "__filterSource", "__findFile",
    "__floor", "__foldl'", "__fromJSON", "__functionArgs", "__genList", "__genericClosure",
    "__getAttr", "__getContext", "__getEnv", "__groupBy", "__hasAttr", "__hasContext",
    "__hashFile", "__hashString", "__head", "__intersectAttrs", "__isAttrs", "__isBool",
    "__isFloat", "__isFunction", "__isInt", "__isList", "__isPath", "__isString",
    "__langVersion", "__length", "__lessThan", "__listToAttrs", "__mapAttrs", "__match",
    "__mul", "__nixPath", "__nixVersion", "__parseDrvName", "__partition",
    "__path", "__pathExists", "__readDir", "__readFile", "__readFileType",
    "__replaceStrings", "__seq", "__sort", "__split", "__splitVersion", "__storeDir",
    "__storePath", "__stringLength", "__sub", "__substring", "__tail", "__toFile",
    "__toJSON", "__toPath", "__toXML", "__trace", "__traceVerbose", "__tryEval",
    "__typeOf", "__unsafeDiscardOutputDependency", "__unsafeDiscardStringContext",
    "__unsafeGetAttrPos", "__warn", "__zipAttrsWith",
};

static nx_sym *syms;
static uint32_t *slots; /* open addressing: sym → id+1 */
static uint32_t nslots;

static void init(void)
{
    if (syms) return;
    uint32_t n = NX_ARRAY_LEN(global_names);
    syms = nx_xmalloc(n * sizeof *syms);
    nslots = 512;
    slots = nx_xcalloc(nslots, sizeof *slots);
    for (uint32_t i = 0; i < n; i++) {
        syms[i] = nx_sym_intern_cstr(global_names[i]);
        uint32_t h = (syms[i] * 2654435761u) & (nslots - 1);
        while (slots[h]) h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
}

uint32_t nx_global_count(void) { return NX_ARRAY_LEN(global_names); }

nx_sym nx_global_name(uint32_t id)
{
    init();
    return syms[id];
}

uint32_t nx_global_lookup(nx_sym s)
{
    init();
    uint32_t h = (s * 2654435761u) & (nslots - 1);
    while (slots[h]) {
        if (syms[slots[h] - 1] == s) return slots[h] - 1;
        h = (h + 1) & (nslots - 1);
    }
    return UINT32_MAX;
}
