// toml11.cc — TOML parsing for builtins.fromTOML through toml11 (Debian's
// libtoml11-dev, the library CppNix uses), behind the C interface of
// vm/builtins/toml.h.  The only C++ translation unit of the evaluator:
// no exception crosses the interface.
#include "vm/builtins/toml.h"

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include <toml.hpp>

namespace {

char *dup(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    return p;
}

// Fills out from t.  Recursion follows the nesting toml11's own
// (recursive) parser accepted.
void convert(nx_toml_node &out, const toml::value &t)
{
    switch (t.type()) {
    case toml::value_t::table: {
        const auto &table = t.as_table();
        out.kind = NX_TOML_TABLE;
        out.children = static_cast<nx_toml_node *>(std::calloc(table.size() + 1, sizeof(nx_toml_node)));
        if (!out.children) throw std::bad_alloc();
        for (const auto &kv : table) {
            nx_toml_node &c = out.children[out.n++];
            c.key = dup(kv.first);
            c.keylen = kv.first.size();
            convert(c, kv.second);
        }
        break;
    }
    case toml::value_t::array: {
        const auto &array = t.as_array();
        out.kind = NX_TOML_ARRAY;
        out.children = static_cast<nx_toml_node *>(std::calloc(array.size() + 1, sizeof(nx_toml_node)));
        if (!out.children) throw std::bad_alloc();
        for (const auto &e : array) convert(out.children[out.n++], e);
        break;
    }
    case toml::value_t::boolean:
        out.kind = NX_TOML_BOOL;
        out.b = t.as_boolean();
        break;
    case toml::value_t::integer:
        out.kind = NX_TOML_INT;
        out.i = t.as_integer();
        break;
    case toml::value_t::floating:
        out.kind = NX_TOML_FLOAT;
        out.d = t.as_floating();
        break;
    case toml::value_t::string: {
        const std::string &s = t.as_string().str;
        out.kind = NX_TOML_STRING;
        out.s = dup(s);
        out.len = s.size();
        break;
    }
    case toml::value_t::local_datetime:
    case toml::value_t::offset_datetime:
    case toml::value_t::local_date:
    case toml::value_t::local_time: {
        std::ostringstream os;
        os << t;
        out.kind = NX_TOML_DATETIME;
        out.s = dup(os.str());
        out.len = os.str().size();
        break;
    }
    default:
        out.kind = NX_TOML_EMPTY;
        break;
    }
}

void free_children(nx_toml_node &n)
{
    for (size_t i = 0; i < n.n; i++) free_children(n.children[i]);
    std::free(n.children);
    std::free(n.s);
    std::free(n.key);
}

} // namespace

extern "C" nx_toml_node *nx_toml_parse(const char *text, size_t len, char **err)
{
    nx_toml_node *root = static_cast<nx_toml_node *>(std::calloc(1, sizeof(nx_toml_node)));
    if (!root) {
        *err = nullptr;
        return nullptr;
    }
    try {
        std::istringstream in(std::string(text, len));
        toml::value v = toml::parse(in, "fromTOML");
        convert(*root, v);
        return root;
    } catch (const std::exception &e) {
        nx_toml_free(root);
        *err = strdup(e.what());
    } catch (...) {
        nx_toml_free(root);
        *err = strdup("unknown error");
    }
    return nullptr;
}

extern "C" void nx_toml_free(nx_toml_node *root)
{
    if (!root) return;
    free_children(*root);
    std::free(root);
}
