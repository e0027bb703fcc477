/*
 * The context API from C: create a context with two keys, set and read back every setting,
 * refuse an out-of-range one, print status messages in Russian and English, and use the state
 * helpers on a fresh blob. Every expectation is checked; the exit code is the number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/ctx_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o ctx_demo
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

int main(void) {
    uint8_t current_key[32], old_key[48];
    for (size_t i = 0; i < sizeof current_key; i++) current_key[i] = (uint8_t)(i * 7 + 1);
    for (size_t i = 0; i < sizeof old_key; i++) old_key[i] = (uint8_t)(i * 3 + 2);

    printf("portal-codes %s\n", pcodes_version());

    pcodes_ctx *ctx = NULL;
    CHECK_STATUS(pcodes_ctx_new(current_key, 31, 1, &ctx), PCODES_STATUS_BAD_KEY);
    CHECK(ctx == NULL);
    CHECK_STATUS(pcodes_ctx_new(NULL, 32, 1, &ctx), PCODES_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_new(current_key, sizeof current_key, 1, &ctx), PCODES_STATUS_OK);
    CHECK(ctx != NULL);
    CHECK_STATUS(pcodes_ctx_add_key(ctx, old_key, sizeof old_key, 16), PCODES_STATUS_BAD_KEY);
    CHECK_STATUS(pcodes_ctx_add_key(ctx, old_key, sizeof old_key, 0), PCODES_STATUS_OK);
    printf("context with keys 1 (current) and 0 (verify-only)\n");

    /* Every setting: default, a new value read back, an out-of-range value refused. The ids
       run from 1; the name, default and range come from the library, not from a copy. */
    for (pcodes_setting id = 1; strcmp(pcodes_setting_name(id), "PCODES_SETTING_UNKNOWN") != 0; id++) {
        uint64_t def = 0, lo = 0, hi = 0, v = 0;
        CHECK_STATUS(pcodes_setting_info(id, &def, &lo, &hi), PCODES_STATUS_OK);
        uint64_t good = def == hi ? lo : hi, bad = hi + 1;
        CHECK_STATUS(pcodes_ctx_get(ctx, id, &v), PCODES_STATUS_OK);
        CHECK(v == def);
        CHECK_STATUS(pcodes_ctx_set(ctx, id, good), PCODES_STATUS_OK);
        CHECK_STATUS(pcodes_ctx_set(ctx, id, bad), PCODES_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(pcodes_ctx_get(ctx, id, &v), PCODES_STATUS_OK);
        CHECK(v == good);
        printf("setting %-22s default %-6" PRIu64 " set %-8" PRIu64 " out of range %-8" PRIu64 " -> %s\n",
               pcodes_setting_name(id) + strlen("PCODES_SETTING_"), def, v, bad,
               pcodes_status_name(pcodes_ctx_set(ctx, id, bad)));
    }

    uint64_t v = 0;
    CHECK_STATUS(pcodes_ctx_set(ctx, 0, 1), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_set(ctx, -7, 1), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_get(ctx, 1000, &v), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, NULL), PCODES_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_get(NULL, PCODES_SETTING_OTP_DIGITS, &v), PCODES_STATUS_NULL_ARGUMENT);

    /* Configure, then share: the first call that uses the context fixes its keys and settings
     * (other threads may be reading them from then on). To rotate keys, make a new context. */
    uint8_t secret[PCODES_TOTP_SECRET_BYTES];
    CHECK_STATUS(pcodes_totp_secret(ctx, secret, sizeof secret), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 6), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_add_key(ctx, old_key, sizeof old_key, 2), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &v), PCODES_STATUS_OK);
    CHECK(v == 8);
    printf("after first use: set and add_key -> %s\n",
           pcodes_status_name(pcodes_ctx_add_key(ctx, old_key, sizeof old_key, 2)));
    /* For the developer's log (never for the person): which argument, and why. */
    printf("detail: %s\n", pcodes_last_error_detail());

    /* Status names and messages. */
    printf("%s: ru: %s\n", pcodes_status_name(PCODES_STATUS_EXPIRED),
           pcodes_status_message(PCODES_STATUS_EXPIRED, "ru"));
    printf("%s: en: %s\n", pcodes_status_name(PCODES_STATUS_EXPIRED),
           pcodes_status_message(PCODES_STATUS_EXPIRED, "en"));
    printf("%s: ru: %s\n", pcodes_status_name(PCODES_STATUS_LOCKED),
           pcodes_status_message(PCODES_STATUS_LOCKED, "ru"));
    CHECK(strcmp(pcodes_status_name(12345), "PCODES_STATUS_UNKNOWN") == 0);
    CHECK(strcmp(pcodes_status_message(PCODES_STATUS_WRONG, NULL),
                 pcodes_status_message(PCODES_STATUS_WRONG, "en")) == 0);
    CHECK(strcmp(pcodes_status_message(PCODES_STATUS_WRONG, "\xff"),
                 pcodes_status_message(PCODES_STATUS_WRONG, "en")) == 0);

    /* State helpers on a fresh blob, and on bad input. */
    uint8_t state[PCODES_STATE_BYTES] = {0};
    CHECK(pcodes_state_bytes() == PCODES_STATE_BYTES);
    uint64_t now = pcodes_now(), retry_at = 99;
    CHECK(now > 1700000000u);
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state, now, &retry_at), PCODES_STATUS_OK);
    CHECK(retry_at == 0);
    CHECK_STATUS(pcodes_state_reset(state, sizeof state), PCODES_STATUS_OK);
    printf("fresh state: retry_at = %" PRIu64 ", reset -> OK\n", retry_at);
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state - 1, now, &retry_at), PCODES_STATUS_CORRUPT_STATE);
    CHECK_STATUS(pcodes_state_retry_at(NULL, sizeof state, now, &retry_at), PCODES_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state, now, NULL), PCODES_STATUS_NULL_ARGUMENT);
    uint8_t garbage[PCODES_STATE_BYTES];
    memset(garbage, 0xAB, sizeof garbage);
    CHECK_STATUS(pcodes_state_reset(garbage, sizeof garbage), PCODES_STATUS_CORRUPT_STATE);
    CHECK(garbage[0] == 0xAB && garbage[63] == 0xAB);

    pcodes_ctx_free(ctx);
    pcodes_ctx_free(NULL);
    return CHECK_DONE();
}
