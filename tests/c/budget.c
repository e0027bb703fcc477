/*
 * Failures that fade and the guess budget through the C ABI (issue 22 §2): the three settings
 * (ids, defaults, ranges, refused values), a run of failures that fades at exactly
 * PCODES_SETTING_FAILURE_RESET_SECONDS after its last failure, and a budget that locks until one
 * guess has drained (PCODES_SETTING_BUDGET_DRAIN_SECONDS) even though a success came between.
 * HOTP is the flow (a wrong code is counted, a right one succeeds); the engine is the same for
 * every flow.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"

#define T0 ((uint64_t)1780000000)
#define DAY ((uint64_t)86400)

#include "../../examples/c/check.h" /* CHECK, CHECK_STATUS, CHECK_DONE */

static const uint8_t SECRET[] = "12345678901234567890"; /* RFC 4226: counter 0 is 755224 */

static pcodes_status hotp(const pcodes_ctx *ctx, const char *code, uint64_t now, uint8_t *st) {
    return pcodes_hotp_verify(ctx, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, code, now, st, PCODES_STATE_BYTES);
}

static uint64_t retry(const uint8_t *st, uint64_t now) {
    uint64_t r = 7;
    CHECK(pcodes_state_retry_at(st, PCODES_STATE_BYTES, now, &r) == PCODES_STATUS_OK);
    return r;
}

static pcodes_ctx *new_ctx(void) {
    uint8_t key[32];
    memset(key, 0x42, sizeof key);
    pcodes_ctx *ctx = NULL;
    CHECK(pcodes_ctx_new(key, sizeof key, 1, &ctx) == PCODES_STATUS_OK);
    return ctx;
}

static void settings(void) {
    static const struct {
        pcodes_setting id;
        uint64_t def, lo, hi;
        const char *name;
    } rows[] = {
        {PCODES_SETTING_FAILURE_RESET_SECONDS, 86400, 0, 31536000, "PCODES_SETTING_FAILURE_RESET_SECONDS"},
        {PCODES_SETTING_BUDGET_GUESSES, 36, 2, 36, "PCODES_SETTING_BUDGET_GUESSES"},
        {PCODES_SETTING_BUDGET_DRAIN_SECONDS, 518400, 518400, 15552000, "PCODES_SETTING_BUDGET_DRAIN_SECONDS"},
    };
    CHECK(PCODES_SETTING_FAILURE_RESET_SECONDS == 16 && PCODES_SETTING_BUDGET_GUESSES == 17 &&
          PCODES_SETTING_BUDGET_DRAIN_SECONDS == 18);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint64_t d = 0, lo = 0, hi = 0, v = 0;
        CHECK(pcodes_setting_info(rows[i].id, &d, &lo, &hi) == PCODES_STATUS_OK);
        CHECK(d == rows[i].def && lo == rows[i].lo && hi == rows[i].hi);
        CHECK(strcmp(pcodes_setting_name(rows[i].id), rows[i].name) == 0);
        pcodes_ctx *ctx = new_ctx();
        CHECK(pcodes_ctx_get(ctx, rows[i].id, &v) == PCODES_STATUS_OK && v == rows[i].def);
        CHECK(pcodes_ctx_set(ctx, rows[i].id, rows[i].hi + 1) == PCODES_STATUS_INVALID_ARGUMENT);
        if (rows[i].lo > 0) CHECK(pcodes_ctx_set(ctx, rows[i].id, rows[i].lo - 1) == PCODES_STATUS_INVALID_ARGUMENT);
        CHECK(pcodes_ctx_get(ctx, rows[i].id, &v) == PCODES_STATUS_OK && v == rows[i].def);
        CHECK(pcodes_ctx_set(ctx, rows[i].id, rows[i].lo) == PCODES_STATUS_OK);
        CHECK(pcodes_ctx_set(ctx, rows[i].id, rows[i].hi) == PCODES_STATUS_OK);
        pcodes_ctx_free(ctx);
    }
}

/* Four wrong codes; a fifth one second before the fade locks, at the fade second it does not. */
static void fade(void) {
    pcodes_ctx *ctx = new_ctx();
    uint8_t st[PCODES_STATE_BYTES] = {0};
    for (uint64_t i = 0; i < 4; i++) CHECK(hotp(ctx, "000000", T0 + i, st) == PCODES_STATUS_WRONG);
    uint64_t last = T0 + 3;
    uint8_t early[PCODES_STATE_BYTES], at[PCODES_STATE_BYTES];
    memcpy(early, st, sizeof st);
    memcpy(at, st, sizeof st);
    CHECK(hotp(ctx, "000000", last + DAY - 1, early) == PCODES_STATUS_WRONG);
    CHECK(retry(early, last + DAY - 1) == last + DAY - 1 + 900);
    CHECK(hotp(ctx, "755224", last + DAY, early) == PCODES_STATUS_LOCKED);
    CHECK(hotp(ctx, "000000", last + DAY, at) == PCODES_STATUS_WRONG);
    CHECK(retry(at, last + DAY) == 0);
    /* The run restarted at 1: four more are needed for the next lock. */
    for (uint64_t i = 1; i < 4; i++) CHECK(hotp(ctx, "000000", last + DAY + i, at) == PCODES_STATUS_WRONG);
    CHECK(retry(at, last + DAY + 3) == 0);
    pcodes_ctx_free(ctx);
}

/* Budget 2, runs that fade after a second: two wrong codes lock until one has drained; the
 * right code between does not renew the budget. */
static void budget(void) {
    pcodes_ctx *ctx = new_ctx();
    CHECK(pcodes_ctx_set(ctx, PCODES_SETTING_FAILURE_RESET_SECONDS, 1) == PCODES_STATUS_OK);
    CHECK(pcodes_ctx_set(ctx, PCODES_SETTING_BUDGET_GUESSES, 2) == PCODES_STATUS_OK);
    uint64_t d = 0;
    CHECK(pcodes_ctx_get(ctx, PCODES_SETTING_BUDGET_DRAIN_SECONDS, &d) == PCODES_STATUS_OK && d == 518400);
    uint8_t st[PCODES_STATE_BYTES] = {0};
    CHECK(hotp(ctx, "000000", T0, st) == PCODES_STATUS_WRONG);
    CHECK(hotp(ctx, "755224", T0 + 5, st) == PCODES_STATUS_OK);
    CHECK(retry(st, T0 + 5) == 0);
    CHECK(hotp(ctx, "000000", T0 + 10, st) == PCODES_STATUS_WRONG);
    CHECK(retry(st, T0 + 10) == T0 + d);
    CHECK(hotp(ctx, "287082", T0 + d - 1, st) == PCODES_STATUS_LOCKED); /* the owner too */
    CHECK(hotp(ctx, "287082", T0 + d, st) == PCODES_STATUS_OK);
    CHECK(pcodes_state_reset(st, PCODES_STATE_BYTES) == PCODES_STATUS_OK);
    uint8_t zero[PCODES_STATE_BYTES] = {0};
    CHECK(memcmp(st, zero, sizeof st) != 0); /* the HOTP counter stays */
    pcodes_ctx_free(ctx);
}

int main(void) {
    settings();
    fade();
    budget();
    return CHECK_DONE();
}
