/*
 * Recovery codes from C: generate a set for an account, store the string and the blob in one
 * row with compare-and-swap, then use a code (as the person types it: lower case, no dashes),
 * try it again, make a typo, try it for another account, lose a race to another server, and
 * regenerate (the old set is dead). Every expectation is checked; the exit code is the number
 * of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/recovery_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o recovery_demo
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

static const pcodes_ctx *ctx;
static const uint64_t NOW = 1750000000;

/* The host's row for the account: the stored string and the blob, written together with
 * compare-and-swap (in SQL: UPDATE accounts SET recovery = $s, recovery_state = $new WHERE
 * id = $1 AND recovery_state = $old). */
static struct {
    char stored[PCODES_RECOVERY_STORED_BYTES];
    uint8_t state[PCODES_STATE_BYTES];
} row;
static int row_cas(const uint8_t *old, const uint8_t *new_state, const char *stored) {
    if (memcmp(row.state, old, sizeof row.state) != 0) return 0; /* another server wrote first */
    memcpy(row.state, new_state, sizeof row.state);
    if (stored) snprintf(row.stored, sizeof row.stored, "%s", stored);
    return 1;
}

/* Generates `count` codes into `codes` and stores the new set in the row. */
static void generate(uint32_t count, char codes[][PCODES_RECOVERY_CODE_BYTES]) {
    uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
    char stored[PCODES_RECOVERY_STORED_BYTES];
    memcpy(old, row.state, sizeof old);
    memcpy(st, old, sizeof st);
    CHECK_STATUS(pcodes_recovery_generate(ctx, "account-1001", count, st, sizeof st, &codes[0][0],
                                          count * PCODES_RECOVERY_CODE_BYTES, stored, sizeof stored),
                 PCODES_STATUS_OK);
    CHECK(row_cas(old, st, stored));
}

/* THE ONE RULE: a verdict counts only once the compare-and-swap that stores its blob succeeded;
 * on a lost write, re-read the row and call again. `rival` is another server's attempt that
 * lands between our read and our write. */
static pcodes_status verify(const char *account, const char *label, const char *code, const char *rival,
                            uint32_t *left) {
    for (;;) {
        uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
        memcpy(old, row.state, sizeof old);
        memcpy(st, old, sizeof st);
        pcodes_status rc = pcodes_recovery_verify(ctx, account, row.stored, code, NOW, st, sizeof st, left);
        if (rival) {
            uint8_t other[PCODES_STATE_BYTES];
            uint32_t n = 0;
            memcpy(other, row.state, sizeof other);
            CHECK_STATUS(pcodes_recovery_verify(ctx, account, row.stored, rival, NOW, other, sizeof other, &n),
                         PCODES_STATUS_OK);
            CHECK(row_cas(row.state, other, NULL));
            printf("  (another server used the same code first)\n");
            rival = NULL;
        }
        if (row_cas(old, st, NULL)) {
            printf("verify %-30s -> %s", label, pcodes_status_name(rc));
            if (rc == PCODES_STATUS_OK) printf(", %u left", (unsigned)*left);
            printf("\n");
            return rc;
        }
    }
}

int main(void) {
    static const uint8_t key[32] = "an example master key, 32 bytes";
    pcodes_ctx *c = NULL;
    CHECK_STATUS(pcodes_ctx_new(key, sizeof key, 1, &c), PCODES_STATUS_OK);
    if (!c) return CHECK_DONE();
    ctx = c;

    char codes[PCODES_RECOVERY_DEFAULT_COUNT][PCODES_RECOVERY_CODE_BYTES];
    generate(PCODES_RECOVERY_DEFAULT_COUNT, codes);
    printf("generated %d codes, e.g. %.4s-****-****; stored string %zu bytes: %.30s...\n",
           PCODES_RECOVERY_DEFAULT_COUNT, codes[0], strlen(row.stored), row.stored);
    CHECK(strlen(codes[0]) == 14 && codes[0][4] == '-' && codes[0][9] == '-');
    CHECK(strstr(row.stored, codes[0]) == NULL);

    /* As the person types it: lower case, without the dashes. */
    char typed[PCODES_RECOVERY_CODE_BYTES];
    size_t n = 0;
    for (const char *p = codes[3]; *p; p++)
        if (*p != '-') typed[n++] = (char)tolower((unsigned char)*p);
    typed[n] = 0;
    uint32_t left = 0;
    CHECK_STATUS(verify("account-1001", "code 4 (typed in lower case)", typed, NULL, &left), PCODES_STATUS_OK);
    CHECK(left == 9);
    CHECK_STATUS(verify("account-1001", "code 4 again", codes[3], NULL, &left), PCODES_STATUS_ALREADY_USED);

    char typo[PCODES_RECOVERY_CODE_BYTES];
    memcpy(typo, codes[5], sizeof typo);
    typo[0] = typo[0] == 'X' ? 'Y' : 'X';
    CHECK_STATUS(verify("account-1001", "code 6 with a typo", typo, NULL, &left), PCODES_STATUS_MISTYPED);
    CHECK_STATUS(verify("account-2002", "code 6 for account-2002", codes[5], NULL, &left), PCODES_STATUS_WRONG);
    uint64_t at = 0;
    CHECK_STATUS(pcodes_state_retry_at(row.state, sizeof row.state, NOW, &at), PCODES_STATUS_OK);
    printf("  one failure counted, retry_at = %llu\n", (unsigned long long)at);

    /* Two servers submit code 7 at once: one OK is stored, the other call is repeated on the
     * stored row and answers ALREADY_USED. */
    CHECK_STATUS(verify("account-1001", "code 7 (racing another server)", codes[6], codes[6], &left),
                 PCODES_STATUS_ALREADY_USED);
    CHECK_STATUS(pcodes_recovery_remaining(row.state, sizeof row.state, &left), PCODES_STATUS_OK);
    printf("remaining -> %u\n", (unsigned)left);
    CHECK(left == 8);

    /* A new set: the old codes are dead, and the old string no longer matches the blob. */
    char old_stored[PCODES_RECOVERY_STORED_BYTES];
    memcpy(old_stored, row.stored, sizeof old_stored);
    char fresh[4][PCODES_RECOVERY_CODE_BYTES];
    generate(4, fresh);
    printf("regenerated: 4 codes\n");
    CHECK_STATUS(verify("account-1001", "old code 1 (new set)", codes[0], NULL, &left), PCODES_STATUS_WRONG);
    memcpy(row.stored, old_stored, sizeof row.stored); /* a string restored from a backup */
    CHECK_STATUS(verify("account-1001", "old code 1 (old string)", codes[0], NULL, &left),
                 PCODES_STATUS_SUPERSEDED);
    printf("  ru: %s\n", pcodes_status_message(PCODES_STATUS_SUPERSEDED, "ru"));

    pcodes_ctx_free(c);
    return CHECK_DONE();
}
