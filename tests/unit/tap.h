/* tap.h — a minimal TAP producer for nixe's unit tests. */
#ifndef NX_TAP_H
#define NX_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                                     \
    do {                                                                      \
        int ok_ = !!(cond);                                                   \
        printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);                     \
        printf(__VA_ARGS__);                                                  \
        printf("\n");                                                         \
        if (!ok_) {                                                           \
            tap_failed++;                                                     \
            printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
        }                                                                     \
    } while (0)

#define TAP_STREQ(got, want, ...)                                             \
    do {                                                                      \
        const char *g_ = (got), *w_ = (want);                                 \
        int eq_ = g_ && w_ && strcmp(g_, w_) == 0;                            \
        TAP_OK(eq_, __VA_ARGS__);                                             \
        if (!eq_) printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_); \
    } while (0)

#define TAP_DONE() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)

#endif
