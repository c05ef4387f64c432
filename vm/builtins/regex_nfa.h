/* regex_nfa.h — a backtracking matcher that takes the matches and
 * captures libstdc++'s std::regex (POSIX extended syntax, its default
 * depth-first executor) takes, which are CppNix's for builtins.match and
 * builtins.split.  Iterative: its backtrack stack is on the heap and
 * bounded, its work bounded by a step budget; past either it gives up and
 * the caller uses glibc's regexec instead. */
#ifndef NX_REGEX_NFA_H
#define NX_REGEX_NFA_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nx_nfa nx_nfa;

/* nx_nfa_compile's verdicts. */
enum {
    NX_NFA_OK,
    /* A construct this matcher leaves to glibc: a '{' that is no bound, a
     * quantifier without an operand, an unmatched ')', a bracket
     * expression regcomp rejects, groups nested deeper than 200, more
     * than 16 quantifiers on one atom. */
    NX_NFA_UNSUPPORTED,
    /* libstdc++'s compiler would insert more than NX_NFA_MAX_STATES
     * (its _GLIBCXX_REGEX_STATE_LIMIT) states and throw error_space,
     * which CppNix reports as "memory limit exceeded". */
    NX_NFA_TOO_BIG,
};

/* The automaton of pattern (in std::regex's extended syntax), or NULL
 * with *verdict saying why.  The state count is libstdc++'s, computed from
 * the parse tree before anything is expanded, so a pattern that expands
 * exponentially costs its length.  Allocates; never fails otherwise. */
nx_nfa *nx_nfa_compile(const char *pattern, int *verdict);
void nx_nfa_free(nx_nfa *nfa);
/* Its number of capture groups, not counting group 0. */
size_t nx_nfa_groups(const nx_nfa *nfa);

/* libstdc++'s _GLIBCXX_REGEX_STATE_LIMIT. */
#define NX_NFA_MAX_STATES 100000

/* A quantifier at *p: '*', '+', '?' or a bound "{n}", "{n,}", "{n,m}"
 * (max -1 for none), read and skipped (1);
 * none there (0); a '{' that starts no bound, *p unchanged (-1). */
int nx_regex_quantifier(const char **p, int *min, int *max);
/* Past the bracket expression at p (its '['): past its ']', or NULL for
 * an unterminated one. */
const char *nx_regex_skip_bracket(const char *p);

/* nx_nfa_exec's flags: EXACT: the match must end at the end of the
 * subject (std::regex_match); otherwise the longest of the first-found
 * kind (std::regex_search at one start position).  NOT_NULL: an empty
 * match does not count (match_not_null). */
enum { NX_NFA_EXACT = 1, NX_NFA_NOT_NULL = 2 };
enum { NX_NFA_NOMATCH, NX_NFA_MATCH, NX_NFA_GIVEUP };

/* Matches nfa against s[start, len) anchored at start, '^' holding only
 * at 0 and '$' only at len.  On NX_NFA_MATCH fills m[0 .. groups]
 * (rm_so -1 for a group that did not take part).  Each state visited
 * costs one unit of *budget; NX_NFA_GIVEUP when it runs out, when the
 * backtrack stack would pass its bound, or for a subject of 4 GiB or
 * more.  Not reentrant (one shared workspace). */
int nx_nfa_exec(const nx_nfa *nfa, const char *s, size_t len, size_t start, int flags, uint64_t *budget,
                regmatch_t *m);

#endif
