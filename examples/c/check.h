/*
 * The expectation helpers shared by the C example programs: each check is counted, a failed one
 * is reported on stderr, and CHECK_DONE() prints "N passed, N failed" and gives the exit code.
 */
#ifndef PORTAL_CODES_EXAMPLE_CHECK_H
#define PORTAL_CODES_EXAMPLE_CHECK_H

#include <stdio.h>

#include "portal_codes.h"

static int passed, failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            passed++;                                                            \
        } else {                                                                 \
            failed++;                                                            \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
        }                                                                        \
    } while (0)

#define CHECK_STATUS(call, want)                                                 \
    do {                                                                         \
        pcodes_status got_ = (call);                                             \
        if (got_ == (want)) {                                                    \
            passed++;                                                            \
        } else {                                                                 \
            failed++;                                                            \
            fprintf(stderr, "FAILED %s:%d: %s = %s, want %s (detail: \"%s\")\n", \
                    __FILE__, __LINE__, #call, pcodes_status_name(got_),          \
                    pcodes_status_name(want), pcodes_last_error_detail());        \
        }                                                                        \
    } while (0)

/* Prints the tally; use as `return CHECK_DONE();` at the end of main. */
#define CHECK_DONE() (printf("%d passed, %d failed\n", passed, failed), failed > 100 ? 100 : failed)

#endif
