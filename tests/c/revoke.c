/*
 * Revocation and events from C, as a host does them (issue 22 §4, §5; docs/revoke.md).
 *
 * An account's row keeps one blob per flow: an outstanding SMS code, a child record's link code,
 * the recovery set, the PIN's lockout, the TOTP replay counter. After a password reset the host
 * revokes every blob in one transaction, each written with compare-and-swap: the revocation
 * counts only once every write succeeded (here one write loses a race and is redone on the
 * fresh blob). Then every killed code answers NO_CHALLENGE and nothing else changed. Events:
 * wrong PINs up to the lock and the block, a success that clears, a recovery code used. Every
 * expectation is checked; the exit code is the number of failures.
 */
#include <stdio.h>
#include <string.h>

#include "portal_codes.h"

#include "../../examples/c/check.h" /* CHECK, CHECK_STATUS, CHECK_DONE */
#define EXPECT CHECK_STATUS

#define NOW ((uint64_t)1750000000)
enum { SMS, LINK, REC, PIN, TOTP, N_BLOBS };
static const char *const NAMES[N_BLOBS] = {"sms", "link", "recovery", "pin", "totp"};

/* The account's row: a blob per flow (each a column, each written with compare-and-swap). */
static uint8_t row[N_BLOBS][PCODES_STATE_BYTES];
static int cas(int i, const uint8_t *old, const uint8_t *new_state) {
    if (memcmp(row[i], old, PCODES_STATE_BYTES) != 0) return 0; /* another server wrote first */
    memcpy(row[i], new_state, PCODES_STATE_BYTES);
    return 1;
}

/* A flow call on blob i as a host makes it: read, call, compare-and-swap (retried on a lost
 * write), then the events between the blob read and the blob stored. */
typedef pcodes_status (*call_fn)(uint8_t *st, const void *arg);
static const pcodes_ctx *ctx;
static pcodes_status run(int i, call_fn f, const void *arg, uint64_t now, pcodes_events *ev) {
    for (;;) {
        uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
        memcpy(old, row[i], sizeof old);
        memcpy(st, old, sizeof st);
        pcodes_status rc = f(st, arg);
        if (!cas(i, old, st)) continue;
        EXPECT(pcodes_state_events(ctx, old, sizeof old, st, sizeof st, now, ev), PCODES_STATUS_OK);
        return rc;
    }
}

static const pcodes_child CHILD = {"Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95"};
static const char *PIN_HASH;
static char REC_STORED[PCODES_RECOVERY_STORED_BYTES];
static const uint8_t SECRET[20] = "12345678901234567890";

static pcodes_status sms_verify(uint8_t *st, const void *code) {
    return pcodes_otp_verify(ctx, "login", code, NOW + 10, st, PCODES_STATE_BYTES);
}
static pcodes_status link_redeem(uint8_t *st, const void *code) {
    return pcodes_link_redeem(ctx, code, &CHILD, NOW + 10, st, PCODES_STATE_BYTES);
}
static pcodes_status rec_verify(uint8_t *st, const void *code) {
    uint32_t left = 0;
    return pcodes_recovery_verify(ctx, "account-1", REC_STORED, code, NOW + 10, st, PCODES_STATE_BYTES, &left);
}
static uint64_t pin_now;
static pcodes_status pin_verify(uint8_t *st, const void *pin) {
    return pcodes_pin_verify(ctx, "account-1", pin, PIN_HASH, pin_now, st, PCODES_STATE_BYTES);
}
static pcodes_status revoke_all(uint8_t *st, const void *unused) {
    (void)unused;
    return pcodes_state_revoke(st, PCODES_STATE_BYTES, PCODES_REVOKE_CODES | PCODES_REVOKE_RECOVERY);
}

int main(void) {
    static const uint8_t key[32] = "an example master key, 32 bytes";
    pcodes_ctx *c = NULL;
    EXPECT(pcodes_ctx_new(key, sizeof key, 1, &c), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    ctx = c;
    pcodes_events ev;

    /* What is outstanding before the reset. */
    char sms[PCODES_OTP_CODE_BYTES], link[PCODES_LINK_CODE_BYTES], codes[3][PCODES_RECOVERY_CODE_BYTES];
    char pin_hash[PCODES_PIN_HASH_BYTES];
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, row[SMS], 64, sms, sizeof sms), PCODES_STATUS_OK);
    EXPECT(pcodes_link_issue(ctx, 42, &CHILD, NOW, row[LINK], 64, link, sizeof link), PCODES_STATUS_OK);
    EXPECT(pcodes_recovery_generate(ctx, "account-1", 3, row[REC], 64, &codes[0][0], sizeof codes, REC_STORED,
                                    sizeof REC_STORED),
           PCODES_STATUS_OK);
    EXPECT(pcodes_pin_hash(ctx, "account-1", "385027", pin_hash, sizeof pin_hash), PCODES_STATUS_OK);
    PIN_HASH = pin_hash;
    pin_now = NOW;
    EXPECT(run(PIN, pin_verify, "111111", NOW, &ev), PCODES_STATUS_WRONG);
    char totp[PCODES_TOTP_CODE_BYTES];
    EXPECT(pcodes_totp_code(SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, NOW, totp, sizeof totp), PCODES_STATUS_OK);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, totp, NOW, row[TOTP], 64, NULL),
           PCODES_STATUS_OK);
    uint64_t sms_wait = 0;
    EXPECT(pcodes_state_retry_at(row[SMS], 64, NOW, &sms_wait), PCODES_STATUS_OK);
    uint8_t before[N_BLOBS][PCODES_STATE_BYTES];
    memcpy(before, row, sizeof row);

    /* The password reset's transaction: every blob of the account, each with compare-and-swap.
     * Another server's SMS verify lands between our read and our write of the SMS blob: our
     * write is lost, so we re-read that blob and revoke again. */
    for (int i = 0; i < N_BLOBS; i++) {
        for (int lost = 0;; lost++) {
            uint8_t old[PCODES_STATE_BYTES], st[PCODES_STATE_BYTES];
            memcpy(old, row[i], sizeof old);
            memcpy(st, old, sizeof st);
            EXPECT(revoke_all(st, NULL), PCODES_STATUS_OK);
            if (i == SMS && lost == 0) {
                uint8_t other[PCODES_STATE_BYTES];
                memcpy(other, row[SMS], sizeof other);
                EXPECT(pcodes_otp_verify(ctx, "login", "00", NOW + 5, other, 64), PCODES_STATUS_MISTYPED);
                EXPECT(pcodes_otp_verify(ctx, "login", sms[0] == '0' ? "111111" : "000000", NOW + 5, other, 64),
                       PCODES_STATUS_WRONG);
                CHECK(cas(SMS, old, other));
                printf("  (another server counted a wrong SMS code first: revoke again)\n");
            }
            if (cas(i, old, st)) break;
            CHECK(lost == 0);
        }
    }
    printf("revoked: sms %s, link %s, recovery %s, pin %s, totp %s\n",
           memcmp(row[SMS], before[SMS], 64) ? "changed" : "same", memcmp(row[LINK], before[LINK], 64) ? "changed" : "same",
           memcmp(row[REC], before[REC], 64) ? "changed" : "same", memcmp(row[PIN], before[PIN], 64) ? "changed" : "same",
           memcmp(row[TOTP], before[TOTP], 64) ? "changed" : "same");
    CHECK(memcmp(row[PIN], before[PIN], 64) == 0 && memcmp(row[TOTP], before[TOTP], 64) == 0);

    /* Every killed code answers NO_CHALLENGE, not counted (the blob stays as it is). */
    struct { int i; call_fn f; const char *code; } killed[] = {
        {SMS, sms_verify, sms}, {LINK, link_redeem, link}, {REC, rec_verify, codes[0]}, {REC, rec_verify, codes[2]}};
    for (size_t k = 0; k < sizeof killed / sizeof killed[0]; k++) {
        uint8_t copy[PCODES_STATE_BYTES];
        int i = killed[k].i;
        memcpy(copy, row[i], sizeof copy);
        pcodes_status rc = run(i, killed[k].f, killed[k].code, NOW + 10, &ev);
        printf("%-8s code after the revocation -> %s\n", NAMES[i], pcodes_status_name(rc));
        CHECK(rc == PCODES_STATUS_NO_CHALLENGE);
        CHECK(memcmp(copy, row[i], sizeof copy) == 0 && ev.flags == 0);
    }
    /* Kept: the counted failures (the other server's wrong SMS code, the wrong PIN), the SMS
     * cooldown, the TOTP replay counter. */
    uint64_t wait = 0;
    EXPECT(pcodes_state_retry_at(row[SMS], 64, NOW, &wait), PCODES_STATUS_OK);
    CHECK(wait == sms_wait && wait == NOW + 60);
    char again[PCODES_OTP_CODE_BYTES];
    EXPECT(pcodes_otp_issue(ctx, "login", NOW + 59, row[SMS], 64, again, sizeof again), PCODES_STATUS_TOO_SOON);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, totp, NOW + 1, row[TOTP], 64, NULL),
           PCODES_STATUS_ALREADY_USED);
    /* Flags: 0 and unknown bits are refused, the blob unchanged; the device bit leaves a link
     * blob as it is (only a device blob has a generation to bump). */
    uint8_t copy[PCODES_STATE_BYTES];
    memcpy(copy, row[LINK], sizeof copy);
    EXPECT(pcodes_state_revoke(row[LINK], 64, 0), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_state_revoke(row[LINK], 64, 8), PCODES_STATUS_INVALID_ARGUMENT);
    printf("revoke with bit 8 -> %s: %s\n", pcodes_status_name(PCODES_STATUS_INVALID_ARGUMENT), pcodes_last_error_detail());
    CHECK(memcmp(copy, row[LINK], sizeof copy) == 0);
    EXPECT(pcodes_state_revoke(row[LINK], 64, PCODES_REVOKE_DEVICES), PCODES_STATUS_OK);
    CHECK(memcmp(copy, row[LINK], sizeof copy) == 0);

    /* Events: the PIN (one failure so far) up to the first lock, through it, and to the block. */
    int locks = 0, blocked = 0;
    for (int n = 2; n <= 15; n++) {
        pcodes_status rc = run(PIN, pin_verify, "111111", pin_now, &ev);
        CHECK(rc == PCODES_STATUS_WRONG);
        CHECK(ev.flags & PCODES_EVENT_FAILURE_COUNTED);
        if (ev.flags & PCODES_EVENT_LOCK_STARTED) {
            locks++;
            uint64_t until = ev.locked_until;
            printf("failure %2d: someone is trying your PIN; locked for %llu s, %u more before the next lock\n", n,
                   (unsigned long long)(ev.locked_until - pin_now), (unsigned)ev.failures_left);
            CHECK(ev.locked_until == pin_now + (n == 5 ? 900 : 1800) && ev.failures_left == 5);
            EXPECT(run(PIN, pin_verify, "385027", pin_now + 1, &ev), PCODES_STATUS_LOCKED);
            CHECK(ev.flags == 0);
            pin_now = until; /* the lock ends at this second */
        } else if (ev.flags & PCODES_EVENT_BLOCKED) {
            blocked++;
            printf("failure %2d: blocked until the support desk resets it (%u left)\n", n, (unsigned)ev.failures_left);
            CHECK(n == 15 && ev.failures_left == 0);
        } else {
            CHECK(ev.failures_left == (unsigned)(5 - n % 5));
        }
        pin_now += 1;
    }
    CHECK(locks == 2 && blocked == 1);
    EXPECT(run(PIN, pin_verify, "385027", pin_now, &ev), PCODES_STATUS_BLOCKED);
    CHECK(ev.flags == 0);
    uint8_t old[PCODES_STATE_BYTES];
    memcpy(old, row[PIN], sizeof old);
    EXPECT(pcodes_state_reset(row[PIN], 64), PCODES_STATUS_OK);
    EXPECT(pcodes_state_events(ctx, old, 64, row[PIN], 64, pin_now, &ev), PCODES_STATUS_OK);
    printf("support desk reset -> events %s\n", ev.flags == PCODES_EVENT_CLEARED ? "CLEARED" : "?");
    CHECK(ev.flags == PCODES_EVENT_CLEARED);

    /* A new recovery set; one code used: RECOVERY_USED with the codes left. */
    EXPECT(pcodes_recovery_generate(ctx, "account-1", 3, row[REC], 64, &codes[0][0], sizeof codes, REC_STORED,
                                    sizeof REC_STORED),
           PCODES_STATUS_OK);
    EXPECT(run(REC, rec_verify, codes[1], NOW + 10, &ev), PCODES_STATUS_OK);
    printf("recovery code used -> %u left\n", (unsigned)ev.recovery_left);
    CHECK(ev.flags == PCODES_EVENT_RECOVERY_USED && ev.recovery_left == 2);

    pcodes_ctx_free(c);
    return CHECK_DONE();
}
