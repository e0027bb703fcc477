/*
 * Link codes from C: a child's code is issued, parsed and redeemed, and every verdict is shown
 * with a real scenario (typo, wrong code, forged code, edited name, re-issued code, second
 * redeem, 11 minutes later, rotated key, missing SNILS, lockout). Every expectation is checked;
 * the exit code is the number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/link_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o link_demo
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

/* Runs a call, checks its status and prints "<scenario>: <status name>". */
#define VERDICT(scenario, call, want)                                            \
    do {                                                                         \
        pcodes_status got_ = (call);                                             \
        printf("%-40s -> %s\n", scenario, pcodes_status_name(got_));             \
        if (got_ == (want)) {                                                    \
            passed++;                                                            \
        } else {                                                                 \
            failed++;                                                            \
            fprintf(stderr, "FAILED %s:%d: %s = %s, want %s\n", __FILE__, __LINE__, \
                    #call, pcodes_status_name(got_), pcodes_status_name(want));   \
        }                                                                        \
    } while (0)

static pcodes_ctx *new_ctx(uint8_t fill, uint32_t key_id) {
    uint8_t key[32];
    memset(key, fill, sizeof key);
    pcodes_ctx *ctx = NULL;
    CHECK(pcodes_ctx_new(key, sizeof key, key_id, &ctx) == PCODES_STATUS_OK);
    return ctx;
}

int main(void) {
    const uint64_t record = 4815162342u;
    const uint64_t now = pcodes_now();
    pcodes_ctx *ctx = new_ctx(0x17, 1);

    pcodes_child ivan = {"Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95"};
    pcodes_child ivan_typed = {"  ИВАНОВ иван  иванович ", "2015-03-08", "m", "11223344595"};
    pcodes_child edited = {"Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95"};
    pcodes_child petya = {"Петров Пётр Петрович", "2014-01-01", "M", "087-654-303 00"};
    pcodes_child no_snils = {"Иванов Иван Иванович", "2015-03-08", "М", ""};

    /* Missing SNILS: no code is issued, and pcodes_child_check says which field. */
    uint32_t missing = 0;
    uint8_t state[PCODES_STATE_BYTES] = {0};
    char code[PCODES_LINK_CODE_BYTES];
    CHECK(pcodes_link_code_bytes() == PCODES_LINK_CODE_BYTES);
    VERDICT("check child without SNILS", pcodes_child_check(&no_snils, &missing), PCODES_STATUS_MISSING_FIELD);
    CHECK(missing == PCODES_FIELD_SNILS);
    printf("missing fields: 0x%" PRIx32 " (PCODES_FIELD_SNILS = %d)\n", missing, PCODES_FIELD_SNILS);
    VERDICT("issue without SNILS",
            pcodes_link_issue(ctx, record, &no_snils, now, state, sizeof state, code, sizeof code),
            PCODES_STATUS_MISSING_FIELD);
    VERDICT("check complete child", pcodes_child_check(&ivan, &missing), PCODES_STATUS_OK);

    /* Issue -> parse -> redeem. */
    VERDICT("issue", pcodes_link_issue(ctx, record, &ivan, now, state, sizeof state, code, sizeof code),
            PCODES_STATUS_OK);
    printf("code for record %" PRIu64 ": %s\n", record, code);
    CHECK(strlen(code) == 29 && code[5] == '-' && code[23] == '-');
    uint8_t issued[PCODES_STATE_BYTES];
    memcpy(issued, state, sizeof state);

    /* The parent types it in lower case with spaces instead of hyphens. */
    char typed[64];
    size_t n = 0;
    for (const char *p = code; *p; p++) typed[n++] = (*p == '-') ? ' ' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    typed[n] = 0;
    uint64_t found = 0;
    VERDICT("parse typed code", pcodes_link_parse(typed, &found), PCODES_STATUS_OK);
    CHECK(found == record);
    printf("parent typed \"%s\": record %" PRIu64 "\n", typed, found);

    /* Typo: two neighbouring symbols swapped (first unequal pair). */
    char typo[PCODES_LINK_CODE_BYTES];
    memcpy(typo, code, sizeof typo);
    for (size_t i = 0; i + 1 < 5; i++) {
        if (typo[i] != typo[i + 1]) {
            char t = typo[i];
            typo[i] = typo[i + 1];
            typo[i + 1] = t;
            break;
        }
    }
    VERDICT("typo: parse", pcodes_link_parse(typo, &found), PCODES_STATUS_MISTYPED);
    VERDICT("typo: redeem", pcodes_link_redeem(ctx, typo, &ivan, now, state, sizeof state), PCODES_STATUS_MISTYPED);
    uint64_t retry = 1;
    CHECK(pcodes_state_retry_at(state, sizeof state, now, &retry) == PCODES_STATUS_OK && retry == 0);

    /* Wrong code: a real code, but made for another child's data. */
    uint8_t other_state[PCODES_STATE_BYTES] = {0};
    char wrong[PCODES_LINK_CODE_BYTES];
    CHECK(pcodes_link_issue(ctx, record, &petya, now, other_state, sizeof other_state, wrong, sizeof wrong) == 0);
    VERDICT("wrong code", pcodes_link_redeem(ctx, wrong, &ivan, now, state, sizeof state), PCODES_STATUS_WRONG);

    /* Forged code: made with a key the attacker chose, under the same key id. */
    pcodes_ctx *attacker = new_ctx(0x66, 1);
    char forged[PCODES_LINK_CODE_BYTES];
    memset(other_state, 0, sizeof other_state);
    CHECK(pcodes_link_issue(attacker, record, &ivan, now, other_state, sizeof other_state, forged, sizeof forged) == 0);
    VERDICT("forged code", pcodes_link_redeem(ctx, forged, &ivan, now, state, sizeof state), PCODES_STATUS_WRONG);

    /* Edited name: the record's data changed after the code was issued. Shown on a copy of the
       blob: a redeem that sees changed data kills the code for good, even if the data changes back. */
    uint8_t what_if[PCODES_STATE_BYTES];
    memcpy(what_if, state, sizeof what_if);
    VERDICT("edited name", pcodes_link_redeem(ctx, code, &edited, now + 30, what_if, sizeof what_if),
            PCODES_STATUS_DATA_CHANGED);
    VERDICT("name edited back", pcodes_link_redeem(ctx, code, &ivan, now + 31, what_if, sizeof what_if),
            PCODES_STATUS_DATA_CHANGED);

    /* The real code, typed loosely, with the data in another cosmetic form. */
    VERDICT("redeem", pcodes_link_redeem(ctx, typed, &ivan_typed, now + 60, state, sizeof state), PCODES_STATUS_OK);
    VERDICT("second redeem", pcodes_link_redeem(ctx, code, &ivan, now + 90, state, sizeof state),
            PCODES_STATUS_ALREADY_USED);

    /* Eleven minutes later (LINK_TTL_SECONDS = 600). */
    memcpy(state, issued, sizeof state);
    VERDICT("11 minutes later", pcodes_link_redeem(ctx, code, &ivan, now + 11 * 60, state, sizeof state),
            PCODES_STATUS_EXPIRED);

    /* Re-issued: the portal made a new code; the old one is superseded. */
    memcpy(state, issued, sizeof state);
    char newer[PCODES_LINK_CODE_BYTES];
    CHECK(pcodes_link_issue(ctx, record, &ivan, now + 120, state, sizeof state, newer, sizeof newer) == 0);
    CHECK(strcmp(newer, code) != 0);
    VERDICT("re-issued: old code", pcodes_link_redeem(ctx, code, &ivan, now + 130, state, sizeof state),
            PCODES_STATUS_SUPERSEDED);
    VERDICT("re-issued: new code", pcodes_link_redeem(ctx, newer, &ivan, now + 130, state, sizeof state),
            PCODES_STATUS_OK);

    /* Rotated key: key 2 now issues, key 1 only verifies; a context without key 1 cannot. */
    pcodes_ctx *rotated = new_ctx(0x42, 2);
    uint8_t old_key[32];
    memset(old_key, 0x17, sizeof old_key);
    CHECK(pcodes_ctx_add_key(rotated, old_key, sizeof old_key, 1) == PCODES_STATUS_OK);
    pcodes_ctx *new_only = new_ctx(0x42, 2);
    memcpy(state, issued, sizeof state);
    VERDICT("key not held (1)", pcodes_link_redeem(new_only, code, &ivan, now + 60, state, sizeof state),
            PCODES_STATUS_UNKNOWN_KEY);
    VERDICT("rotated key: old code", pcodes_link_redeem(rotated, code, &ivan, now + 60, state, sizeof state),
            PCODES_STATUS_OK);

    /* Lockout: five wrong codes lock the record for wrong codes only; the right code still
     * redeems (its tag verifies), and the lock stays (docs/link-code.md, "Lockout"). */
    memcpy(state, issued, sizeof state);
    for (int i = 0; i < 5; i++) CHECK(pcodes_link_redeem(ctx, wrong, &ivan, now, state, sizeof state) == PCODES_STATUS_WRONG);
    VERDICT("after 5 wrong codes: wrong code", pcodes_link_redeem(ctx, wrong, &ivan, now + 1, state, sizeof state),
            PCODES_STATUS_LOCKED);
    VERDICT("after 5 wrong codes: right code", pcodes_link_redeem(ctx, code, &ivan, now + 1, state, sizeof state),
            PCODES_STATUS_OK);
    CHECK(pcodes_state_retry_at(state, sizeof state, now + 1, &retry) == PCODES_STATUS_OK && retry == now + 900);

    /* Bad input. */
    VERDICT("redeem with NULL code", pcodes_link_redeem(ctx, NULL, &ivan, now, state, sizeof state),
            PCODES_STATUS_NULL_ARGUMENT);
    char small[10];
    VERDICT("issue into a small buffer",
            pcodes_link_issue(ctx, record, &ivan, now, state, sizeof state, small, sizeof small),
            PCODES_STATUS_BUFFER_TOO_SMALL);
    printf("%s: ru: %s\n", pcodes_status_name(PCODES_STATUS_MISTYPED),
           pcodes_status_message(PCODES_STATUS_MISTYPED, "ru"));

    pcodes_ctx_free(ctx);
    pcodes_ctx_free(attacker);
    pcodes_ctx_free(rotated);
    pcodes_ctx_free(new_only);
    return CHECK_DONE();
}
