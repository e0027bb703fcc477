/*
 * Device trust from C (docs/device-trust.md): the account's row keeps a PIN hash, a PIN blob, an
 * SMS blob and a device blob. The owner logs in and trusts the browser (the device blob is stored
 * first, then the cookie is set); an attacker without a cookie guesses PINs until the untrusted
 * lane is blocked; the owner, with the cookie, still gets in with the PIN and with an SMS code;
 * a forged cookie is refused and writes nothing; "sign out everywhere" revokes the cookie while
 * the owner's attempt is in flight. Every call's blobs are stored with compare-and-swap, both
 * blobs of a trusted SMS call in one transaction; a verdict counts only once that write
 * succeeded. Every expectation is checked; the exit code is the number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/device_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o device_demo
 */
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

enum { PIN, SMS, DEVICE, N_BLOBS };
typedef uint8_t blobs[N_BLOBS][PCODES_STATE_BYTES];
static blobs row; /* the account's columns pin_state, sms_state, device_state */
static const pcodes_ctx *ctx;
static const char *ACCOUNT = "account-1";
static char pin_hash[PCODES_PIN_HASH_BYTES], token[PCODES_DEVICE_TOKEN_BYTES], sms[PCODES_OTP_CODE_BYTES];

/* The calls the host makes, and the columns each one reads and writes. */
enum op { PIN_PLAIN, TRUST, PIN_TRUSTED, SMS_SEND, SMS_CONFIRM, REVOKE_ALL };
static const unsigned cols[] = {
    [PIN_PLAIN] = 1u << PIN,       [TRUST] = 1u << DEVICE,
    [PIN_TRUSTED] = 1u << DEVICE,  [SMS_SEND] = 1u << SMS | 1u << DEVICE,
    [SMS_CONFIRM] = 1u << SMS | 1u << DEVICE, [REVOKE_ALL] = 1u << DEVICE,
};

/* One transaction over the columns of `mask`, each with compare-and-swap; for two columns, in SQL:
 *   UPDATE accounts SET sms_state = $new_sms, device_state = $new_dev
 *    WHERE id = $1 AND sms_state = $old_sms AND device_state = $old_dev
 * (or two UPDATEs in one transaction, rolled back unless both matched one row). Nothing is
 * written unless every old blob is still the stored one. */
static int transaction(unsigned mask, blobs old, blobs st) {
    for (int i = 0; i < N_BLOBS; i++)
        if ((mask >> i & 1) && memcmp(row[i], old[i], PCODES_STATE_BYTES) != 0) return 0; /* ROLLBACK */
    for (int i = 0; i < N_BLOBS; i++)
        if (mask >> i & 1) memcpy(row[i], st[i], PCODES_STATE_BYTES);
    return 1; /* COMMIT */
}

static pcodes_status call(enum op op, const char *arg, const char *cookie, uint64_t now, blobs st) {
    const size_t n = PCODES_STATE_BYTES;
    switch (op) {
    case PIN_PLAIN: return pcodes_pin_verify(ctx, ACCOUNT, arg, pin_hash, now, st[PIN], n);
    case TRUST: return pcodes_device_issue(ctx, ACCOUNT, now, st[DEVICE], n, token, sizeof token);
    case PIN_TRUSTED: return pcodes_device_pin_verify(ctx, ACCOUNT, arg, pin_hash, cookie, now, st[DEVICE], n);
    case SMS_SEND:
        return pcodes_device_otp_issue(ctx, ACCOUNT, "login", cookie, now, st[SMS], n, st[DEVICE], n, sms,
                                       sizeof sms);
    case SMS_CONFIRM:
        return pcodes_device_otp_verify(ctx, ACCOUNT, "login", arg, cookie, now, st[SMS], n, st[DEVICE], n);
    case REVOKE_ALL: return pcodes_device_revoke_all(st[DEVICE], n);
    }
    return PCODES_STATUS_INTERNAL;
}

/* Read the row, call, commit; on a lost write the answer is discarded and the call made again on
 * the stored blobs. `rival` (once): another server's call that commits between our read and
 * our write. */
static pcodes_status run(enum op op, const char *arg, const char *cookie, uint64_t now, int rival) {
    for (;;) {
        blobs old, st;
        memcpy(old, row, sizeof old);
        memcpy(st, old, sizeof st);
        pcodes_status rc = call(op, arg, cookie, now, st);
        if (rival >= 0) {
            blobs other;
            memcpy(other, row, sizeof other);
            CHECK_STATUS(call((enum op)rival, arg, cookie, now, other), PCODES_STATUS_OK);
            CHECK(transaction(cols[rival], row, other));
            printf("  (another server: sign out everywhere, committed first)\n");
            rival = -1;
        }
        if (transaction(cols[op], old, st)) return rc;
        printf("  write lost: %s discarded; re-read the row and call again\n", pcodes_status_name(rc));
    }
}

int main(void) {
    static const uint8_t key[32] = "an example master key, 32 bytes";
    uint64_t now = 1750000000, at = 0;
    pcodes_ctx *c = NULL;
    CHECK_STATUS(pcodes_ctx_new(key, sizeof key, 1, &c), PCODES_STATUS_OK);
    if (!c) return CHECK_DONE();
    CHECK_STATUS(pcodes_ctx_set(c, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    ctx = c;
    CHECK_STATUS(pcodes_pin_hash(ctx, ACCOUNT, "385027", pin_hash, sizeof pin_hash), PCODES_STATUS_OK);

    /* The owner logs in, then asks to trust this browser: the device blob is stored first, the
     * cookie set only after that write succeeded. */
    CHECK_STATUS(run(PIN_PLAIN, "385027", NULL, now, -1), PCODES_STATUS_OK);
    uint8_t before[PCODES_STATE_BYTES];
    memcpy(before, row[DEVICE], sizeof before);
    CHECK_STATUS(run(TRUST, NULL, NULL, now, -1), PCODES_STATUS_OK);
    char cookie[PCODES_DEVICE_TOKEN_BYTES];
    memcpy(cookie, token, sizeof cookie); /* Set-Cookie: ...; Secure; HttpOnly; SameSite=Lax */
    pcodes_events ev;
    CHECK_STATUS(pcodes_state_events(ctx, before, sizeof before, row[DEVICE], PCODES_STATE_BYTES, now, &ev),
                 PCODES_STATUS_OK);
    CHECK(ev.flags == PCODES_EVENT_DEVICE_TRUSTED && ev.trusted_at == now);
    CHECK(strlen(cookie) == 80);
    printf("owner: PIN -> OK; trust this device -> OK, device blob stored, then cookie set (%zu chars)\n",
           strlen(cookie));

    /* An attacker who knows the login guesses PINs without a cookie, waiting out every lock. */
    int wrong = 0, locked = 0;
    pcodes_status rc = PCODES_STATUS_OK;
    for (int k = 0; k < 100 && rc != PCODES_STATUS_BLOCKED; k++) {
        char guess[12];
        snprintf(guess, sizeof guess, "%06d", 100000 + k * 7);
        now += 5;
        rc = run(PIN_PLAIN, guess, NULL, now, -1);
        if (rc == PCODES_STATUS_WRONG) wrong++;
        if (rc == PCODES_STATUS_LOCKED) {
            locked++;
            CHECK_STATUS(pcodes_state_retry_at(row[PIN], PCODES_STATE_BYTES, now, &at), PCODES_STATUS_OK);
            now = at;
        }
    }
    CHECK_STATUS(rc, PCODES_STATUS_BLOCKED);
    CHECK(wrong == 15 && locked == 2);
    printf("attacker, no cookie: %d wrong, LOCKED %d times, then %s\n", wrong, locked, pcodes_status_name(rc));
    pcodes_status plain = run(PIN_PLAIN, "385027", NULL, now, -1);
    CHECK_STATUS(plain, PCODES_STATUS_BLOCKED);

    /* The owner, with the cookie: the trusted lane is the device blob's, untouched by the attacker. */
    rc = run(PIN_TRUSTED, "385027", cookie, now, -1);
    CHECK_STATUS(rc, PCODES_STATUS_OK);
    printf("owner, right PIN: without cookie -> %s; with cookie -> %s\n", pcodes_status_name(plain),
           pcodes_status_name(rc));
    CHECK_STATUS(run(SMS_SEND, NULL, cookie, now, -1), PCODES_STATUS_OK);
    CHECK(strlen(sms) == 6);
    rc = run(SMS_CONFIRM, sms, cookie, now + 30, -1);
    CHECK_STATUS(rc, PCODES_STATUS_OK);
    printf("owner with cookie: SMS code sent, confirmed -> %s (SMS and device blobs in one transaction)\n",
           pcodes_status_name(rc));
    CHECK_STATUS(run(SMS_CONFIRM, sms, cookie, now + 40, -1), PCODES_STATUS_ALREADY_USED);
    CHECK_STATUS(pcodes_otp_verify(ctx, "login", sms, now + 40, row[SMS], PCODES_STATE_BYTES),
                 PCODES_STATUS_ALREADY_USED); /* single use holds in the untrusted lane too */
    CHECK_STATUS(pcodes_state_retry_at(row[PIN], PCODES_STATE_BYTES, now + 40, &at), PCODES_STATUS_OK);
    CHECK(at == UINT64_MAX); /* the owner's trusted successes did not clear the untrusted lane */

    /* A forged cookie: nothing computed, nothing written; the host drops it. */
    char forged[PCODES_DEVICE_TOKEN_BYTES];
    memcpy(forged, cookie, sizeof forged);
    forged[79] = forged[79] == 'A' ? 'B' : 'A';
    blobs snapshot;
    memcpy(snapshot, row, sizeof snapshot);
    rc = run(PIN_TRUSTED, "385027", forged, now + 50, -1);
    CHECK_STATUS(rc, PCODES_STATUS_DEVICE_UNTRUSTED);
    pcodes_status send = run(SMS_SEND, NULL, forged, now + 50, -1);
    CHECK_STATUS(send, PCODES_STATUS_DEVICE_UNTRUSTED);
    CHECK(memcmp(snapshot, row, sizeof row) == 0);
    CHECK_STATUS(pcodes_device_check(ctx, "account-2", cookie, now, row[DEVICE], PCODES_STATE_BYTES),
                 PCODES_STATUS_DEVICE_UNTRUSTED); /* another account's cookie is no better */
    printf("forged cookie: PIN -> %s, SMS send -> %s, nothing written; cookie dropped\n",
           pcodes_status_name(rc), pcodes_status_name(send));

    /* "Sign out everywhere" commits while the owner's PIN attempt is in flight: that attempt's OK
     * is discarded with its lost write, and the call on the stored row finds the cookie revoked. */
    rc = run(PIN_TRUSTED, "385027", cookie, now + 60, REVOKE_ALL);
    CHECK_STATUS(rc, PCODES_STATUS_DEVICE_REVOKED);
    printf("old cookie after revoke_all -> %s\n", pcodes_status_name(rc));
    memcpy(snapshot, row, sizeof snapshot);
    CHECK_STATUS(run(SMS_SEND, NULL, cookie, now + 70, -1), PCODES_STATUS_DEVICE_REVOKED);
    CHECK(memcmp(snapshot, row, sizeof row) == 0);
    CHECK_STATUS(pcodes_device_check(ctx, ACCOUNT, cookie, now + 70, row[DEVICE], PCODES_STATE_BYTES),
                 PCODES_STATUS_DEVICE_REVOKED);

    const pcodes_status shown[] = {PCODES_STATUS_DEVICE_UNTRUSTED, PCODES_STATUS_DEVICE_REVOKED};
    for (int i = 0; i < 2; i++) {
        const char *ru = pcodes_status_message(shown[i], "ru"), *en = pcodes_status_message(shown[i], "en");
        CHECK(strlen(ru) > 0 && strlen(en) > 0 && strcmp(ru, en) != 0);
        printf("%s\n  ru: %s\n  en: %s\n", pcodes_status_name(shown[i]), ru, en);
    }

    pcodes_ctx_free(c);
    return CHECK_DONE();
}
