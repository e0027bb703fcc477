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
