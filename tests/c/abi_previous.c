/*
 * A host compiled against the PREVIOUS release's header (release 6ed60a0, kept in
 * tests/data/abi-6ed60a0/portal_codes.h) and run, without recompiling, on this library under
 * the same SONAME (libportal_codes.so.0): docs/c-api.md, "Versions and the ABI".
 *
 * It checks the promises that header made, above all the one issue 20 found broken: for an
 * unknown account (`stored = NULL`) "state may then be NULL and is ignored", and the call does
 * the dummy work and answers WRONG, like a wrong PIN on a real account.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h" /* the previous release's header */

static int passed, failed;
#define CHECK(cond)                                                   \
    do {                                                              \
        if (cond) {                                                   \
            passed++;                                                 \
        } else {                                                      \
            failed++;                                                 \
            printf("FAIL line %d: %s\n", __LINE__, #cond);            \
        }                                                             \
    } while (0)
#define EXPECT(call, want) CHECK((call) == (want))

#define NOW 1750000000u

int main(void) {
    uint8_t key[32];
    memset(key, 0x42, sizeof key);
    pcodes_ctx *ctx = NULL;
    EXPECT(pcodes_ctx_new(key, sizeof key, 2, &ctx), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);

    /* A real account: hash, a wrong PIN counted in its blob, the right one clears it. */
    char stored[PCODES_PIN_HASH_BYTES];
    EXPECT(pcodes_pin_hash(ctx, "alice", "385027", stored, sizeof stored), PCODES_STATUS_OK);
    uint8_t st[PCODES_STATE_BYTES] = {0};
    EXPECT(pcodes_pin_verify(ctx, "alice", "111111", stored, NOW, st, sizeof st), PCODES_STATUS_WRONG);
    EXPECT(pcodes_pin_verify(ctx, "alice", "385027", stored, NOW, st, sizeof st), PCODES_STATUS_OK);

    /* The previous header's promise: an unknown account with state = NULL is WRONG (dummy
     * work), begin answers OK, finish WRONG — not NULL_ARGUMENT. */
    EXPECT(pcodes_pin_verify(ctx, "nobody", "385027", NULL, NOW, NULL, 0), PCODES_STATUS_WRONG);
    EXPECT(pcodes_pin_verify(ctx, "nobody", "12a4", NULL, NOW, NULL, 0), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_verify_begin(ctx, "nobody", "385027", NULL, NOW, NULL, 0), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify_finish(ctx, "nobody", "385027", NULL, NOW, NULL, 0), PCODES_STATUS_WRONG);

    /* The lost-race protocol with the previous header's `bool matched`. */
    uint8_t two[PCODES_STATE_BYTES] = {0};
    EXPECT(pcodes_pin_verify_begin(ctx, "alice", "385027", stored, NOW, two, sizeof two), PCODES_STATUS_OK);
    bool m = false;
    EXPECT(pcodes_pin_verify_compute(ctx, "alice", "385027", stored, &m), PCODES_STATUS_OK);
    CHECK(m == true);
    EXPECT(pcodes_pin_verify_apply(m, NOW, two, sizeof two), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify_apply(false, NOW, two, sizeof two), PCODES_STATUS_NO_CHALLENGE);

    /* SMS codes and the state helpers keep their signatures and meanings. */
    uint8_t sms[PCODES_STATE_BYTES] = {0};
    char code[PCODES_OTP_CODE_BYTES];
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, sms, sizeof sms, code, sizeof code), PCODES_STATUS_OK);
    EXPECT(pcodes_otp_verify(ctx, "login", code, NOW + 5, sms, sizeof sms), PCODES_STATUS_OK);
    EXPECT(pcodes_otp_verify(ctx, "login", code, NOW + 6, sms, sizeof sms), PCODES_STATUS_ALREADY_USED);
    uint64_t retry = 0;
    EXPECT(pcodes_state_retry_at(sms, sizeof sms, NOW + 6, &retry), PCODES_STATUS_OK);
    CHECK(retry == NOW + 60);
    EXPECT(pcodes_state_reset(sms, sizeof sms), PCODES_STATUS_OK);
    CHECK(strcmp(pcodes_status_name(PCODES_STATUS_WRONG), "PCODES_STATUS_WRONG") == 0);

    pcodes_ctx_free(ctx);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
