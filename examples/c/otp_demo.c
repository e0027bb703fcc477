/*
 * One-time codes sent by SMS or e-mail, from C: the full life of a code. Issue, resend too soon,
 * resend later (the first code superseded), a typo, wrong tries until the code is exhausted,
 * expiry, success, reuse refused, a code for another purpose refused. Every expectation is
 * checked; the exit code is the number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/otp_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o otp_demo
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

static const pcodes_ctx *ctx;
static uint64_t t0;

/* Verifies `code` at t0 + `at`, prints the verdict and checks it. */
static void verify(const char *purpose, const char *label, const char *code, uint64_t at,
                   uint8_t *state, pcodes_status want) {
    pcodes_status rc = pcodes_otp_verify(ctx, purpose, code, t0 + at, state, PCODES_STATE_BYTES);
    printf("t+%-4" PRIu64 " verify %-32s -> %s\n", at, label, pcodes_status_name(rc));
    if (rc != PCODES_STATUS_OK) printf("        ru: %s\n", pcodes_status_message(rc, "ru"));
    CHECK_STATUS(rc, want);
}

/* The host's row and its compare-and-swap: in a portal, UPDATE accounts SET state = $new WHERE
 * id = $1 AND state = $old, which changes one row or none. */
static uint8_t row[PCODES_STATE_BYTES];
static int row_cas(const uint8_t *old, const uint8_t *new_state) {
    if (memcmp(row, old, sizeof row) != 0) return 0; /* another server wrote first */
    memcpy(row, new_state, sizeof row);
    return 1;
}

/* THE ONE RULE: a verdict counts only once the compare-and-swap that stores its blob succeeded.
 * On a lost write the status is thrown away, whatever it was, and the call is made again on the
 * row as it is now. `race` makes the first write lose (another server's attempt lands between
 * our read and our write). */
static pcodes_status verify_stored(const char *code, uint64_t at, int race) {
    for (;;) {
        uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
        memcpy(old, row, sizeof old);
        memcpy(st, old, sizeof st);
        pcodes_status rc = pcodes_otp_verify(ctx, "login", code, t0 + at, st, sizeof st);
        if (race) { /* the other server's wrong try, stored first */
            uint8_t other[PCODES_STATE_BYTES];
            char wrong[PCODES_OTP_CODE_BYTES];
            memcpy(other, row, sizeof other);
            memcpy(wrong, code, sizeof wrong);
            wrong[0] = (char)('0' + (wrong[0] - '0' + 1) % 10);
            CHECK_STATUS(pcodes_otp_verify(ctx, "login", wrong, t0 + at, other, sizeof other),
                         PCODES_STATUS_WRONG);
            CHECK(row_cas(row, other));
            race = 0;
        }
        if (row_cas(old, st)) return rc; /* stored: this status is the answer */
        printf("t+%-4" PRIu64 " write lost, %s discarded: re-read and verify again\n", at,
               pcodes_status_name(rc));
    }
}

/* Issues at t0 + `at` into `code` and checks the status. */
static void issue(const char *purpose, uint64_t at, uint8_t *state, char *code, pcodes_status want) {
    pcodes_status rc = pcodes_otp_issue(ctx, purpose, t0 + at, state, PCODES_STATE_BYTES, code,
                                        PCODES_OTP_CODE_BYTES);
    uint64_t retry = 0;
    CHECK_STATUS(pcodes_state_retry_at(state, PCODES_STATE_BYTES, t0 + at, &retry), PCODES_STATUS_OK);
    if (rc == PCODES_STATUS_OK) {
        printf("t+%-4" PRIu64 " issue for %-20s -> SMS \"%s\"; next send at t+%" PRIu64 "\n", at, purpose,
               code, retry - t0);
    } else {
        printf("t+%-4" PRIu64 " issue for %-20s -> %s; retry at t+%" PRIu64 "\n", at, purpose,
               pcodes_status_name(rc), retry - t0);
    }
    CHECK_STATUS(rc, want);
}

/* A 6-digit code different from `a` and `b`. */
static void other_code(const char *a, const char *b, char *out) {
    for (unsigned v = 0;; v++) {
        snprintf(out, PCODES_OTP_CODE_BYTES, "%06u", v);
        if (strcmp(out, a) != 0 && strcmp(out, b) != 0) return;
    }
}

int main(void) {
    uint8_t key[32];
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i * 5 + 3);
    pcodes_ctx *c = NULL;
    CHECK_STATUS(pcodes_ctx_new(key, sizeof key, 1, &c), PCODES_STATUS_OK);
    ctx = c;
    t0 = pcodes_now();
    CHECK(pcodes_otp_code_bytes() == PCODES_OTP_CODE_BYTES && PCODES_OTP_CODE_BYTES == 9);

    uint8_t state[PCODES_STATE_BYTES] = {0};
    char first[PCODES_OTP_CODE_BYTES], second[PCODES_OTP_CODE_BYTES], code[PCODES_OTP_CODE_BYTES];
    char wrong[PCODES_OTP_CODE_BYTES], spaced[16];
    uint64_t retry = 0;

    verify("login", "before any code", "123456", 0, state, PCODES_STATUS_NO_CHALLENGE);
    issue("login", 0, state, first, PCODES_STATUS_OK);
    CHECK(strlen(first) == 6);
    issue("login", 20, state, code, PCODES_STATUS_TOO_SOON);
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state, t0 + 20, &retry), PCODES_STATUS_OK);
    CHECK(retry == t0 + 60);
    issue("login", 75, state, second, PCODES_STATUS_OK);
    if (strcmp(first, second) != 0) { /* equal with probability 1e-6 */
        verify("login", "the first (replaced) code", first, 80, state, PCODES_STATUS_SUPERSEDED);
    }
    verify("login", "one digit short", second + 1, 85, state, PCODES_STATUS_MISTYPED);
    verify("login", "with a letter", "12a456", 86, state, PCODES_STATUS_MISTYPED);
    other_code(first, second, wrong);
    verify("login", wrong, wrong, 90, state, PCODES_STATUS_WRONG);
    verify("login", wrong, wrong, 95, state, PCODES_STATUS_WRONG);
    verify("login", wrong, wrong, 100, state, PCODES_STATUS_WRONG);
    verify("login", "the right code, after 3 wrong", second, 105, state, PCODES_STATUS_ATTEMPTS_EXHAUSTED);

    issue("login", 140, state, code, PCODES_STATUS_OK);
    verify("login", "the new code, 5 min later", code, 440, state, PCODES_STATUS_EXPIRED);

    issue("login", 500, state, code, PCODES_STATUS_OK);
    snprintf(spaced, sizeof spaced, "%.3s %s", code, code + 3);
    verify("login", spaced, spaced, 520, state, PCODES_STATUS_OK);
    verify("login", "the same code again", code, 521, state, PCODES_STATUS_ALREADY_USED);

    uint8_t phone[PCODES_STATE_BYTES] = {0};
    issue("phone-change:+79990001122", 600, phone, code, PCODES_STATUS_OK);
    verify("login", "the phone-change code", code, 610, phone, PCODES_STATUS_WRONG);
    verify("phone-change:+79990001122", "the phone-change code", code, 611, phone, PCODES_STATUS_OK);

    /* Compare-and-swap: the first write loses a race, so its answer is discarded and the call
     * redone on the stored row; only the answer whose blob was stored is given to the person. */
    char sms[PCODES_OTP_CODE_BYTES];
    CHECK_STATUS(pcodes_otp_issue(ctx, "login", t0 + 700, row, sizeof row, sms, sizeof sms), PCODES_STATUS_OK);
    pcodes_status stored = verify_stored(sms, 705, 1);
    printf("t+705  verify with compare-and-swap -> %s (its blob stored)\n", pcodes_status_name(stored));
    CHECK_STATUS(stored, PCODES_STATUS_OK);

    /* Bad calls change nothing. */
    uint8_t copy[PCODES_STATE_BYTES];
    memcpy(copy, state, sizeof state);
    char small[6];
    CHECK_STATUS(pcodes_otp_issue(ctx, "login", t0 + 900, state, sizeof state, small, sizeof small),
                 PCODES_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(pcodes_otp_issue(ctx, NULL, t0 + 900, state, sizeof state, code, sizeof code),
                 PCODES_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(pcodes_otp_verify(ctx, "login", "\xff\xfe", t0 + 900, state, sizeof state),
                 PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_otp_verify(ctx, "login", code, t0 + 900, state, sizeof state - 1),
                 PCODES_STATUS_CORRUPT_STATE);
    CHECK(memcmp(copy, state, sizeof state) == 0);
    printf("bad calls: BUFFER_TOO_SMALL, NULL_ARGUMENT, INVALID_ARGUMENT, CORRUPT_STATE; state unchanged\n");

    pcodes_ctx_free(c);
    return CHECK_DONE();
}
