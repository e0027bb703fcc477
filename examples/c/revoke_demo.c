/*
 * Events and revocation from C (docs/revoke.md): the account's row keeps a PIN blob, a device
 * blob and an SMS blob, each written with compare-and-swap. The host trusts a device, sees wrong
 * PINs, then resets the password and revokes everything outstanding. Every call follows the one
 * rule: its status and its events (pcodes_state_events between the blob read and the blob
 * written) count only once the compare-and-swap succeeded; a lost write's answer and events are
 * discarded and the call is made again on the stored blob. Every expectation is checked; the
 * exit code is the number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/revoke_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o revoke_demo
 */
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

enum { PIN, DEVICE, SMS, N_BLOBS };
static uint8_t row[N_BLOBS][PCODES_STATE_BYTES]; /* the account's columns */
static const pcodes_ctx *ctx;
static char pin_hash[PCODES_PIN_HASH_BYTES], token[PCODES_DEVICE_TOKEN_BYTES], sms[PCODES_OTP_CODE_BYTES];

/* UPDATE accounts SET <column> = $new WHERE id = $1 AND <column> = $old */
static int cas(int i, const uint8_t *old, const uint8_t *new_state) {
    if (memcmp(row[i], old, PCODES_STATE_BYTES) != 0) return 0; /* another server wrote first */
    memcpy(row[i], new_state, PCODES_STATE_BYTES);
    return 1;
}

/* The calls the host makes on a blob `st` (a copy of the column) at `now`. */
enum op { ISSUE_DEVICE, WRONG_PIN, SEND_SMS, REVOKE };
static pcodes_status call(enum op op, uint8_t *st, uint64_t now) {
    switch (op) {
    case ISSUE_DEVICE:
        return pcodes_device_issue(ctx, "account-1", now, st, PCODES_STATE_BYTES, token, sizeof token);
    case WRONG_PIN: return pcodes_pin_verify(ctx, "account-1", "000000", pin_hash, now, st, PCODES_STATE_BYTES);
    case SEND_SMS: return pcodes_otp_issue(ctx, "login", now, st, PCODES_STATE_BYTES, sms, sizeof sms);
    case REVOKE:
        return pcodes_state_revoke(st, PCODES_STATE_BYTES, PCODES_REVOKE_CODES | PCODES_REVOKE_DEVICES);
    }
    return PCODES_STATUS_INTERNAL;
}

/* Read the column, call, compare-and-swap; only then the status and the events are real. With
 * `rival`, another server's identical call lands between our read and our write (once). */
static pcodes_status run(int i, enum op op, uint64_t now, int rival, pcodes_events *ev) {
    for (;;) {
        uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
        memcpy(old, row[i], sizeof old);
        memcpy(st, old, sizeof st);
        pcodes_status rc = call(op, st, now);
        if (rival) {
            uint8_t other[PCODES_STATE_BYTES];
            memcpy(other, row[i], sizeof other);
            call(op, other, now);
            CHECK(cas(i, row[i], other));
            rival = 0;
        }
        if (!cas(i, old, st)) {
            printf("  write lost: %s and its events discarded; re-read and call again\n",
                   pcodes_status_name(rc));
            continue;
        }
        CHECK_STATUS(pcodes_state_events(ctx, old, sizeof old, st, sizeof st, now, ev), PCODES_STATUS_OK);
        return rc;
    }
}

int main(void) {
    static const uint8_t key[32] = "an example master key, 32 bytes";
    const uint64_t now = 1750000000;
    pcodes_ctx *c = NULL;
    CHECK_STATUS(pcodes_ctx_new(key, sizeof key, 1, &c), PCODES_STATUS_OK);
    if (!c) return CHECK_DONE();
    CHECK_STATUS(pcodes_ctx_set(c, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    ctx = c;
    CHECK_STATUS(pcodes_pin_hash(ctx, "account-1", "385027", pin_hash, sizeof pin_hash), PCODES_STATUS_OK);
    pcodes_events ev;

    /* "Trust this device" after a good login: the cookie is set only after the write. */
    CHECK_STATUS(run(DEVICE, ISSUE_DEVICE, now, 0, &ev), PCODES_STATUS_OK);
    CHECK(ev.flags == PCODES_EVENT_DEVICE_TRUSTED && ev.trusted_at == now);
    printf("device issue -> OK, stored; events DEVICE_TRUSTED (trusted_at = now): "
           "notice \"a new device was trusted\"; cookie set\n");

    /* Wrong PINs from elsewhere; the second one races another server and is redone. */
    for (int k = 0; k < 2; k++) {
        CHECK_STATUS(run(PIN, WRONG_PIN, now + 10 + (uint64_t)k, k == 1, &ev), PCODES_STATUS_WRONG);
        CHECK(ev.flags == PCODES_EVENT_FAILURE_COUNTED);
        printf("wrong PIN -> PCODES_STATUS_WRONG, stored; events FAILURE_COUNTED, %u left: "
               "notice \"someone is trying your PIN\"\n", (unsigned)ev.failures_left);
    }
    CHECK(ev.failures_left == 2); /* three counted: ours, the rival's, ours again */

    /* An SMS code is outstanding when the person resets the password. */
    CHECK_STATUS(run(SMS, SEND_SMS, now + 20, 0, &ev), PCODES_STATUS_OK);
    CHECK(ev.flags == 0);

    /* Password reset: revoke every column in one transaction, each with compare-and-swap. */
    const char *names[N_BLOBS] = {"pin", "device", "sms"};
    for (int i = 0; i < N_BLOBS; i++) {
        uint8_t before[PCODES_STATE_BYTES];
        memcpy(before, row[i], sizeof before);
        CHECK_STATUS(run(i, REVOKE, now + 30, 0, &ev), PCODES_STATUS_OK);
        CHECK(ev.flags == 0); /* a revocation is the host's own act: no event */
        printf("revoke %-6s -> OK, %s, no event\n", names[i],
               memcmp(before, row[i], sizeof before) ? "changed" : "same");
    }
    /* COMMIT: only now is every code dead. */
    pcodes_status sms_rc = pcodes_otp_verify(ctx, "login", sms, now + 40, row[SMS], PCODES_STATE_BYTES);
    pcodes_status dev_rc =
        pcodes_device_check(ctx, "account-1", token, now + 40, row[DEVICE], PCODES_STATE_BYTES);
    CHECK_STATUS(sms_rc, PCODES_STATUS_NO_CHALLENGE);
    CHECK_STATUS(dev_rc, PCODES_STATUS_DEVICE_REVOKED);
    printf("after the commit: SMS code -> %s, device cookie -> %s\n", pcodes_status_name(sms_rc),
           pcodes_status_name(dev_rc));

    pcodes_ctx_free(c);
    return CHECK_DONE();
}
