/*
 * PINs from C: policy refusals with their reasons, hash -> verify OK, wrong PIN -> WRONG, five
 * wrong -> LOCKED with the retry time, a hash copied to another account -> WRONG, the two-phase
 * verification a compare-and-swap host uses, an unknown account (stored = NULL), and a rotated
 * pepper key -> still verifies and needs a rehash, and a PIN the portal generates ("Get PIN").
 * Every expectation is checked; the exit code is
 * the number of failures. 10,000 iterations for speed (production keeps 600,000).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

static pcodes_ctx *make_ctx(uint8_t fill, uint32_t id) {
    uint8_t key[32];
    memset(key, fill, sizeof key);
    pcodes_ctx *ctx = NULL;
    CHECK_STATUS(pcodes_ctx_new(key, sizeof key, id, &ctx), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    return ctx;
}

int main(void) {
    pcodes_ctx *ctx = make_ctx(0x42, 2);
    const char *birth = "1987-05-25";

    /* Policy refusals with their reasons. */
    static const struct { const char *pin, *confirm; pcodes_status want; pcodes_pin_weakness why; } cases[] = {
        {"12a4", "12a4", PCODES_STATUS_PIN_FORMAT, PCODES_PIN_WEAK_NONE},
        {"12345", "12345", PCODES_STATUS_PIN_FORMAT, PCODES_PIN_WEAK_NONE},
        {"3861", "3816", PCODES_STATUS_PIN_MISMATCH, PCODES_PIN_WEAK_NONE},
        {"0000", "0000", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_REPEATED_DIGIT},
        {"123456", "123456", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_SEQUENCE},
        {"2580", "2580", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_KEYPAD_LINE},
        {"497497", "497497", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_REPEATED_HALVES},
        {"3112", "3112", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_DATE},
        {"2001", "2001", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_YEAR},
        {"250587", "250587", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_BIRTH_DATE},
        {"1325", "1325", PCODES_STATUS_PIN_WEAK, PCODES_PIN_WEAK_BLOCKLIST},
        {"385027", "385027", PCODES_STATUS_OK, PCODES_PIN_WEAK_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pcodes_pin_weakness why = -1;
        pcodes_status rc = pcodes_pin_check_reason(ctx, cases[i].pin, cases[i].confirm, birth, &why);
        CHECK_STATUS(rc, cases[i].want);
        CHECK(why == cases[i].why);
        printf("check %-6s / %-6s -> %s %s\n", cases[i].pin, cases[i].confirm, pcodes_status_name(rc),
               why ? pcodes_pin_weakness_name(why) : "");
    }
    CHECK_STATUS(pcodes_pin_check(ctx, "3861", "3861", "1987-02-30"), PCODES_STATUS_INVALID_BIRTH_DATE);
    CHECK_STATUS(pcodes_pin_check(ctx, "3861", "3861", NULL), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_check(ctx, NULL, "3861", NULL), PCODES_STATUS_NULL_ARGUMENT);

    /* Hash and verify. */
    char stored[PCODES_PIN_HASH_BYTES];
    CHECK(pcodes_pin_hash_bytes() == PCODES_PIN_HASH_BYTES);
    char tiny[40];
    CHECK_STATUS(pcodes_pin_hash(ctx, "account-1001", "385027", tiny, sizeof tiny), PCODES_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(pcodes_pin_hash(ctx, "account-1001", "385027", stored, sizeof stored), PCODES_STATUS_OK);
    CHECK(strncmp(stored, "$pcodes-pin$v=2,k=2,l=3,i=3334,n=6$", 35) == 0);
    printf("stored hash: %s\n", stored);

    uint8_t state[PCODES_STATE_BYTES] = {0};
    uint64_t now = pcodes_now(), retry_at = 0;
    pcodes_status rc = pcodes_pin_verify(ctx, "account-1001", "385027", stored, now, state, sizeof state);
    CHECK_STATUS(rc, PCODES_STATUS_OK);
    printf("verify right PIN -> %s\n", pcodes_status_name(rc));
    rc = pcodes_pin_verify(ctx, "account-1001", "111111", stored, now, state, sizeof state);
    CHECK_STATUS(rc, PCODES_STATUS_WRONG);
    printf("verify 111111 -> %s\n", pcodes_status_name(rc));
    for (uint64_t i = 1; i < 5; i++) {
        CHECK_STATUS(pcodes_pin_verify(ctx, "account-1001", "000000", stored, now + i, state, sizeof state),
                     PCODES_STATUS_WRONG);
    }
    rc = pcodes_pin_verify(ctx, "account-1001", "385027", stored, now + 5, state, sizeof state);
    CHECK_STATUS(rc, PCODES_STATUS_LOCKED);
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state, now + 5, &retry_at), PCODES_STATUS_OK);
    CHECK(retry_at == now + 4 + 900);
    printf("five wrong -> %s, retry in %" PRIu64 " s\n", pcodes_status_name(rc), retry_at - (now + 5));
    CHECK_STATUS(pcodes_pin_verify(ctx, "account-1001", "385027", stored, retry_at, state, sizeof state),
                 PCODES_STATUS_OK);

    /* A hash copied to another account's row. */
    uint8_t other[PCODES_STATE_BYTES] = {0};
    rc = pcodes_pin_verify(ctx, "account-2002", "385027", stored, now, other, sizeof other);
    CHECK_STATUS(rc, PCODES_STATUS_WRONG);
    printf("hash copied to account-2002 -> %s\n", pcodes_status_name(rc));

    /* Unknown account: same work, WRONG, counted and locked in the blob kept for the typed name. */
    uint8_t nobody[PCODES_STATE_BYTES] = {0};
    rc = pcodes_pin_verify(ctx, "nobody", "385027", NULL, now, nobody, sizeof nobody);
    CHECK_STATUS(rc, PCODES_STATUS_WRONG);
    printf("unknown account (stored = NULL) -> %s\n", pcodes_status_name(rc));

    /* Two phases: begin pre-counts the failure; the host CAS-stores, then finish. */
    uint8_t blob[PCODES_STATE_BYTES] = {0};
    CHECK_STATUS(pcodes_pin_verify_finish(ctx, "account-1001", "385027", stored, now, blob, sizeof blob),
                 PCODES_STATUS_NO_CHALLENGE);
    int admitted = 0;
    for (int i = 0; i < 8; i++) { /* eight parallel guesses, each stored in turn */
        if (pcodes_pin_verify_begin(ctx, "account-1001", "999999", stored, now, blob, sizeof blob) == PCODES_STATUS_OK)
            admitted++;
    }
    CHECK(admitted == 5);
    printf("eight parallel guesses: %d admitted before any hash ran, the rest LOCKED\n", admitted);
    CHECK_STATUS(pcodes_pin_verify_finish(ctx, "account-1001", "999999", stored, now, blob, sizeof blob),
                 PCODES_STATUS_WRONG);

    /* "Get PIN": the portal draws a PIN the policy accepts for this holder, shows it once (after
     * the SMS confirmation), stores only its hash, and clears it. */
    char pin[PCODES_PIN_GENERATE_BYTES];
    CHECK(pcodes_pin_generate_bytes() == sizeof pin);
    CHECK_STATUS(pcodes_pin_generate(ctx, 5, birth, pin, sizeof pin), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_pin_generate(ctx, 6, birth, pin, 6), PCODES_STATUS_BUFFER_TOO_SMALL);
    rc = pcodes_pin_generate(ctx, 6, birth, pin, sizeof pin);
    CHECK_STATUS(rc, PCODES_STATUS_OK);
    CHECK(strlen(pin) == 6 && strspn(pin, "0123456789") == 6);
    CHECK_STATUS(pcodes_pin_check(ctx, pin, pin, birth), PCODES_STATUS_OK);
    char issued[PCODES_PIN_HASH_BYTES];
    CHECK_STATUS(pcodes_pin_hash(ctx, "account-3003", pin, issued, sizeof issued), PCODES_STATUS_OK);
    uint8_t fresh[PCODES_STATE_BYTES] = {0};
    CHECK_STATUS(pcodes_pin_verify(ctx, "account-3003", pin, issued, now, fresh, sizeof fresh), PCODES_STATUS_OK);
    printf("generated PIN: %zu digits, check -> %s, hashed and verified\n", strlen(pin),
           pcodes_status_name(pcodes_pin_check(ctx, pin, pin, birth)));
    /* The PIN is a secret: clear it once shown and hashed (a volatile write the compiler keeps). */
    for (volatile char *v = pin; v < pin + sizeof pin; v++) *v = 0;

    /* Rotation: key 3 is now current, key 2 verify-only. */
    pcodes_ctx *rotated = make_ctx(0x99, 3);
    uint8_t key2[32];
    memset(key2, 0x42, sizeof key2);
    CHECK_STATUS(pcodes_ctx_add_key(rotated, key2, sizeof key2, 2), PCODES_STATUS_OK);
    bool needs = false;
    rc = pcodes_pin_verify(rotated, "account-1001", "385027", stored, retry_at, state, sizeof state);
    CHECK_STATUS(rc, PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_needs_rehash(rotated, stored, &needs), PCODES_STATUS_OK);
    CHECK(needs);
    printf("after rotation: verify -> %s, needs rehash: %s\n", pcodes_status_name(rc), needs ? "yes" : "no");
    CHECK_STATUS(pcodes_pin_hash(rotated, "account-1001", "385027", stored, sizeof stored), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_needs_rehash(rotated, stored, &needs), PCODES_STATUS_OK);
    CHECK(!needs);
    printf("rehashed: %s\n", stored);
    CHECK_STATUS(pcodes_pin_verify(ctx, "account-1001", "385027", stored, now, other, sizeof other),
                 PCODES_STATUS_UNKNOWN_KEY);
    CHECK_STATUS(pcodes_pin_needs_rehash(rotated, "$pcodes-pin$garbage", &needs), PCODES_STATUS_MALFORMED_HASH);

    pcodes_ctx_free(rotated);
    pcodes_ctx_free(ctx);
    return CHECK_DONE();
}
