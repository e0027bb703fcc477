/* Hostile input through the C ABI (see hostile.c): recovery codes, device trust and its trusted lane of SMS codes and TOTP/HOTP. */

#include "hostile.h"

/* ---- Recovery codes (pcodes_recovery_*) ---- */
void test_recovery(pcodes_ctx *ctx) {
    CHECK(pcodes_recovery_code_bytes() == PCODES_RECOVERY_CODE_BYTES && PCODES_RECOVERY_CODE_BYTES == 15);
    CHECK(pcodes_recovery_stored_bytes() == PCODES_RECOVERY_STORED_BYTES && PCODES_RECOVERY_STORED_BYTES == 256);
    CHECK(PCODES_RECOVERY_DEFAULT_COUNT == 10 && PCODES_RECOVERY_MAX_COUNT == 16);
    size_t cn = 3 * PCODES_RECOVERY_CODE_BYTES, sn = PCODES_RECOVERY_STORED_BYTES;
    char *codes = guarded(cn), *stored = guarded(sn);
    uint8_t st[64] = {0};
    uint32_t left = 77;
    /* NULLs, bad UTF-8, empty and 1 MB account ids, counts out of range: nothing written. */
    EXPECT(pcodes_recovery_generate(NULL, "a", 3, st, 64, codes, cn, stored, sn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, NULL, 3, st, 64, codes, cn, stored, sn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, NULL, 64, codes, cn, stored, sn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, NULL, cn, stored, sn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, codes, cn, NULL, sn), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_recovery_generate(ctx, BAD_UTF8[b], 3, st, 64, codes, cn, stored, sn),
               PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "", 3, st, 64, codes, cn, stored, sn), PCODES_STATUS_INVALID_ARGUMENT);
    static const uint32_t bad_count[] = {0, 17, 64, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad_count / sizeof bad_count[0]; i++)
        EXPECT(pcodes_recovery_generate(ctx, "a", bad_count[i], st, 64, codes, cn, stored, sn),
               PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, codes, cn - 1, stored, sn), PCODES_STATUS_BUFFER_TOO_SMALL);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, codes, cn, stored, sn - 1), PCODES_STATUS_BUFFER_TOO_SMALL);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, codes, cn, codes + 1, sn), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_recovery_generate(ctx, "a", 3, st, 64, codes, 0, stored, 0), PCODES_STATUS_BUFFER_TOO_SMALL);
    CHECK(untouched(codes, cn) && untouched(stored, sn));
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
    char *huge = repeat('a', MB);
    EXPECT(pcodes_recovery_generate(ctx, huge, 3, st, 64, codes, cn, stored, sn), PCODES_STATUS_OK);
    CHECK(strlen(stored) < sn && strncmp(stored, "$pcodes-recovery$v=1,k=0,n=3$", 29) == 0);
    for (int i = 0; i < 3; i++) CHECK(strlen(codes + i * PCODES_RECOVERY_CODE_BYTES) == 14);
    /* Verify: NULLs, bad UTF-8, hostile stored strings and codes; the state untouched by refusals. */
    uint8_t want[64];
    memcpy(want, st, 64);
    EXPECT(pcodes_recovery_verify(NULL, huge, stored, codes, NOW, st, 64, &left), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, NULL, stored, codes, NOW, st, 64, &left), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, huge, NULL, codes, NOW, st, 64, &left), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, NULL, NOW, st, 64, &left), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, codes, NOW, st, 64, NULL), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_recovery_verify(ctx, BAD_UTF8[b], stored, codes, NOW, st, 64, &left),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_recovery_verify(ctx, huge, BAD_UTF8[b], codes, NOW, st, 64, &left),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_recovery_verify(ctx, huge, stored, BAD_UTF8[b], NOW, st, 64, &left),
               PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_recovery_verify(ctx, "", stored, codes, NOW, st, 64, &left), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, codes, 0, st, 64, &left), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_recovery_verify(ctx, huge, huge, codes, NOW, st, 64, &left), PCODES_STATUS_MALFORMED_HASH);
    EXPECT(pcodes_recovery_verify(ctx, huge, "", codes, NOW, st, 64, &left), PCODES_STATUS_MALFORMED_HASH);
    EXPECT(pcodes_recovery_verify(ctx, huge, PIN_HASH, codes, NOW, st, 64, &left), PCODES_STATUS_MALFORMED_HASH);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, codes, NOW, st, 64, (uint32_t *)(void *)st),
           PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(memcmp(st, want, 64) == 0 && left == 77);
    /* Verdicts on hostile codes: none counted, nothing changed. */
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, huge, NOW, st, 64, &left), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, "", NOW, st, 64, &left), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, "\xd0\x90" "BCD-EFGH-JKM", NOW, st, 64, &left),
           PCODES_STATUS_MISTYPED);
    CHECK(memcmp(st, want, 64) == 0 && left == 77);
    /* Another account: WRONG, counted; the account: OK once, then ALREADY_USED. */
    EXPECT(pcodes_recovery_verify(ctx, "b", stored, codes, NOW, st, 64, &left), PCODES_STATUS_WRONG);
    CHECK(st[2] == 1 && left == 77);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, codes, NOW, st, 64, &left), PCODES_STATUS_OK);
    CHECK(left == 2 && st[2] == 0);
    EXPECT(pcodes_recovery_verify(ctx, huge, stored, codes, NOW, st, 64, &left), PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_recovery_remaining(st, 64, &left), PCODES_STATUS_OK);
    CHECK(left == 2);
    EXPECT(pcodes_recovery_remaining(NULL, 64, &left), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_recovery_remaining(st, 64, NULL), PCODES_STATUS_NULL_ARGUMENT);
    /* The set of REC_ST (another set): SUPERSEDED before the code is looked at. */
    EXPECT(pcodes_recovery_verify(ctx, huge, REC_STORED, codes, NOW, st, 64, &left), PCODES_STATUS_SUPERSEDED);
    free(huge);
    free(codes);
    free(stored);
}

/* ---- Device trust (pcodes_device_*) ---- */
void test_device(pcodes_ctx *ctx) {
    CHECK(pcodes_device_token_bytes() == PCODES_DEVICE_TOKEN_BYTES && PCODES_DEVICE_TOKEN_BYTES == 81);
    size_t tn = PCODES_DEVICE_TOKEN_BYTES;
    char *tok = guarded(tn);
    uint8_t dev[64] = {0}, want[64];
    /* Issue: NULLs, bad UTF-8, empty account, short buffer, another flow's blob: nothing written. */
    EXPECT(pcodes_device_issue(NULL, "acc-1", NOW, dev, 64, tok, tn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, NULL, NOW, dev, 64, tok, tn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, NULL, 64, tok, tn), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, dev, 64, NULL, tn), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_device_issue(ctx, BAD_UTF8[b], NOW, dev, 64, tok, tn), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, "", NOW, dev, 64, tok, tn), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, "acc-1", 0, dev, 64, tok, tn), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, dev, 64, tok, tn - 1), PCODES_STATUS_BUFFER_TOO_SMALL);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, dev, 63, tok, tn), PCODES_STATUS_CORRUPT_STATE);
    uint8_t other[64];
    memcpy(other, KIND_ST[K_PIN], 64);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, other, 64, tok, tn), PCODES_STATUS_CORRUPT_STATE);
    CHECK(memcmp(other, KIND_ST[K_PIN], 64) == 0);
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, (uint8_t *)tok, 64, tok, tn), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(tok, tn));
    static const uint8_t zero[64];
    CHECK(memcmp(dev, zero, 64) == 0); /* no refused issue recorded anything */
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, dev, 64, tok, tn), PCODES_STATUS_OK);
    CHECK(strlen(tok) == 80);
    /* The issue is recorded (payload bytes 8..12: one token; 12..17: NOW), an event for the host. */
    CHECK(dev[0] == 7 && dev[32] == 1 && dev[33] == 0 && dev[34] == 0 && dev[35] == 0);
    for (int i = 0; i < 5; i++) CHECK(dev[36 + i] == (uint8_t)(NOW >> (8 * i)));
    pcodes_events ev;
    EXPECT(pcodes_state_events(ctx, zero, 64, dev, 64, NOW, &ev), PCODES_STATUS_OK);
    CHECK(ev.flags == PCODES_EVENT_DEVICE_TRUSTED && ev.trusted_at == NOW);
    /* Check: the token's statuses, each uncounted; hostile tokens. */
    EXPECT(pcodes_device_check(NULL, "acc-1", tok, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_check(ctx, NULL, tok, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_check(ctx, "acc-1", NULL, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_check(ctx, "acc-1", tok, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_device_check(ctx, BAD_UTF8[b], tok, NOW, dev, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_device_check(ctx, "acc-1", BAD_UTF8[b], NOW, dev, 64), PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_device_check(ctx, "acc-1", tok, NOW, dev, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_device_check(ctx, "acc-2", tok, NOW, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    char *huge = repeat('A', MB);
    EXPECT(pcodes_device_check(ctx, "acc-1", huge, NOW, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_check(ctx, huge, tok, NOW, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_check(ctx, "acc-1", "", NOW, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_check(ctx, "acc-1", tok, NOW + 90 * 86400, dev, 64), PCODES_STATUS_EXPIRED);
    EXPECT(pcodes_device_check(ctx, "acc-1", tok, NOW, KIND_ST[K_REC], 64), PCODES_STATUS_CORRUPT_STATE);
    /* The trusted PIN verification: the lane of the device blob only. */
    memcpy(want, dev, 64);
    EXPECT(pcodes_device_pin_verify(NULL, "acc-1", "583196", PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_pin_verify(ctx, NULL, "583196", PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", NULL, PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", PIN_HASH, NULL, NOW, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", PIN_HASH, tok, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_device_pin_verify(ctx, "acc-1", BAD_UTF8[b], PIN_HASH, tok, NOW, dev, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", PIN_HASH, huge, NOW, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", huge, PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", huge, tok, NOW, dev, 64), PCODES_STATUS_MALFORMED_HASH);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", PIN_HASH, tok, NOW, (uint8_t *)tok, 64),
           PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(memcmp(dev, want, 64) == 0);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "000000", PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_WRONG);
    CHECK(dev[0] == 7 && dev[2] == 1);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", PIN_HASH, tok, NOW, dev, 64), PCODES_STATUS_OK);
    /* Layout 4: the run (bytes 2..4) and the lock (5..8) cleared, the guess budget (4) keeps its charge. */
    CHECK(dev[0] == 7 && dev[2] == 0 && dev[3] == 0 && dev[4] == 1 && dev[5] == 0 && dev[6] == 0 && dev[7] == 0);
    EXPECT(pcodes_device_pin_verify(ctx, "acc-1", "583196", NULL, tok, NOW, dev, 64), PCODES_STATUS_WRONG);
    /* Revoke every device: the token is DEVICE_REVOKED, the lane's count kept. */
    EXPECT(pcodes_device_revoke_all(NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_revoke_all(dev, 63), PCODES_STATUS_CORRUPT_STATE);
    uint8_t pin_st[64];
    memcpy(pin_st, KIND_ST[K_PIN], 64);
    EXPECT(pcodes_device_revoke_all(pin_st, 64), PCODES_STATUS_CORRUPT_STATE);
    CHECK(memcmp(pin_st, KIND_ST[K_PIN], 64) == 0);
    EXPECT(pcodes_device_revoke_all(dev, 64), PCODES_STATUS_OK);
    CHECK(dev[2] == 1 && dev[24] == 1);
    EXPECT(pcodes_device_check(ctx, "acc-1", tok, NOW, dev, 64), PCODES_STATUS_DEVICE_REVOKED);
    free(huge);
    free(tok);
}

/* ---- The trusted lane of SMS codes and TOTP/HOTP (pcodes_device_otp_*, _totp_verify, _hotp_verify) ---- */
void test_device_lanes(pcodes_ctx *ctx) {
    char tok[PCODES_DEVICE_TOKEN_BYTES], code[PCODES_OTP_CODE_BYTES], code2[PCODES_OTP_CODE_BYTES];
    uint8_t dev[64] = {0}, sms[64] = {0}, want_dev[64], want_sms[64];
    EXPECT(pcodes_device_issue(ctx, "acc-1", NOW, dev, 64, tok, sizeof tok), PCODES_STATUS_OK);
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, sms, 64, code, sizeof code), PCODES_STATUS_OK);
    memcpy(want_dev, dev, 64);
    memcpy(want_sms, sms, 64);
    /* Hostile arguments: nothing written to either blob. */
    EXPECT(pcodes_device_otp_verify(NULL, "acc-1", "login", code, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, NULL, "login", code, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", NULL, code, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", NULL, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, NULL, NOW, sms, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, NULL, 64, dev, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, sms, 64, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_device_otp_verify(ctx, BAD_UTF8[b], "login", code, tok, NOW, sms, 64, dev, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", BAD_UTF8[b], tok, NOW, sms, 64, dev, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, sms, 63, dev, 64), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, sms, 64, dev, 65), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, dev, 64, sms, 64), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, NOW, sms, 64, sms, 64), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, "", NOW, sms, 64, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-2", "login", code, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_DEVICE_UNTRUSTED);
    char *huge = repeat('7', MB);
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", huge, tok, NOW, sms, 64, dev, 64), PCODES_STATUS_MISTYPED);
    CHECK(memcmp(dev, want_dev, 64) == 0 && memcmp(sms, want_sms, 64) == 0);
    /* An attacker without the token blocks the SMS blob (the untrusted lane): three wrong tries spend
       a code, a new code after each lock and cooldown. */
    uint64_t t = NOW;
    int32_t st = PCODES_STATUS_OK;
    char wrong[PCODES_OTP_CODE_BYTES];
    memcpy(code2, code, sizeof code2);
    for (int round = 0; round < 20 && st != PCODES_STATUS_BLOCKED; round++) {
        memcpy(wrong, code2, sizeof wrong);
        wrong[0] = wrong[0] == '0' ? '1' : '0';
        for (int i = 0; i < 3; i++) {
            st = pcodes_otp_verify(ctx, "login", wrong, t, sms, 64);
            if (st != PCODES_STATUS_WRONG) break;
        }
        t += 3600; /* past the lock, the cooldown and the hourly limit */
        if (pcodes_otp_issue(ctx, "login", t, sms, 64, code2, sizeof code2) == PCODES_STATUS_BLOCKED) st = PCODES_STATUS_BLOCKED;
    }
    EXPECT(st, PCODES_STATUS_BLOCKED);
    EXPECT(pcodes_otp_issue(ctx, "login", t + 3600, sms, 64, code2, sizeof code2), PCODES_STATUS_BLOCKED);
    /* The owner, with its token, gets a code and confirms it; the device blob's lane is clear. */
    t += 7200;
    EXPECT(pcodes_device_otp_issue(NULL, "acc-1", "login", tok, t, sms, 64, dev, 64, code, sizeof code), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", tok, t, sms, 64, dev, 64, NULL, sizeof code), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", tok, t, sms, 64, NULL, 64, code, sizeof code), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "", tok, t, sms, 64, dev, 64, code, sizeof code), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", tok, t, sms, 64, dev, 64, code, 6), PCODES_STATUS_BUFFER_TOO_SMALL);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", tok, t, sms, 64, dev, 64, (char *)sms, 9), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", huge, t, sms, 64, dev, 64, code, sizeof code), PCODES_STATUS_DEVICE_UNTRUSTED);
    EXPECT(pcodes_device_otp_issue(ctx, "acc-1", "login", tok, t, sms, 64, dev, 64, code, sizeof code), PCODES_STATUS_OK);
    memcpy(wrong, code, sizeof wrong);
    wrong[0] = wrong[0] == '0' ? '1' : '0';
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", wrong, tok, t, sms, 64, dev, 64), PCODES_STATUS_WRONG);
    CHECK(dev[2] == 1); /* counted in the device blob */
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, t, sms, 64, dev, 64), PCODES_STATUS_OK);
    CHECK(dev[2] == 0);
    /* Single use across the lanes; the untrusted lane is still blocked. */
    EXPECT(pcodes_device_otp_verify(ctx, "acc-1", "login", code, tok, t, sms, 64, dev, 64), PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_otp_verify(ctx, "login", code, t, sms, 64), PCODES_STATUS_BLOCKED);
    uint64_t at = 0;
    EXPECT(pcodes_state_retry_at(sms, 64, t, &at), PCODES_STATUS_OK);
    CHECK(at == UINT64_MAX);

    /* TOTP (RFC 6238 seed, SHA-1, 8 digits): a step accepted in one lane is a replay in the other. */
    const uint8_t *seed = (const uint8_t *)"12345678901234567890";
    uint8_t totp[64] = {0}, hotp[64] = {0};
    char c8[PCODES_TOTP_CODE_BYTES];
    int32_t drift = 99;
    EXPECT(pcodes_totp_code(seed, 20, PCODES_ALGORITHM_SHA1, 8, 30, 59, c8, sizeof c8), PCODES_STATUS_OK);
    CHECK(strcmp(c8, "94287082") == 0);
    EXPECT(pcodes_device_totp_verify(NULL, "acc-1", seed, 20, 1, 8, 30, c8, tok, NOW, totp, 64, dev, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", NULL, 20, 1, 8, 30, c8, tok, NOW, totp, 64, dev, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 9, 1, 8, 30, c8, tok, NOW, totp, 64, dev, 64, &drift), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 20, 7, 8, 30, c8, tok, NOW, totp, 64, dev, 64, &drift), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 20, 1, 8, 30, c8, tok, NOW, totp, 64, dev, 64, (int32_t *)(void *)dev), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 20, 1, 8, 30, c8, tok, NOW, totp, 64, sms, 64, &drift), PCODES_STATUS_CORRUPT_STATE);
    uint64_t tt = NOW + 30;
    EXPECT(pcodes_totp_code(seed, 20, PCODES_ALGORITHM_SHA1, 8, 30, tt, c8, sizeof c8), PCODES_STATUS_OK);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 20, 1, 8, 30, c8, tok, tt, totp, 64, dev, 64, &drift), PCODES_STATUS_OK);
    CHECK(drift == 0);
    EXPECT(pcodes_totp_verify(ctx, seed, 20, 1, 8, 30, c8, tt, totp, 64, &drift), PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_device_totp_verify(ctx, "acc-1", seed, 20, 1, 8, 30, "00000000", tok, tt, totp, 64, dev, 64, NULL), PCODES_STATUS_WRONG);
    CHECK(dev[2] == 1 && totp[2] == 0); /* counted in the device blob, not in the TOTP blob */
    /* HOTP (RFC 4226 vectors): counter 0 in the trusted lane, then it is used in the untrusted one. */
    uint64_t counter = 99;
    EXPECT(pcodes_device_hotp_verify(NULL, "acc-1", seed, 20, 1, 6, "755224", tok, t, hotp, 64, dev, 64, &counter), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_device_hotp_verify(ctx, "acc-1", seed, 20, 1, 9, "755224", tok, t, hotp, 64, dev, 64, &counter), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_hotp_verify(ctx, "acc-1", seed, 20, 1, 6, "755224", tok, t, hotp, 64, dev, 64, (uint64_t *)(void *)hotp), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_device_hotp_verify(ctx, "acc-1", seed, 20, 1, 6, "755224", tok, t, hotp, 64, dev, 64, &counter), PCODES_STATUS_OK);
    CHECK(counter == 0 && dev[2] == 0);
    EXPECT(pcodes_hotp_verify(ctx, seed, 20, 1, 6, "755224", t, hotp, 64), PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_hotp_verify(ctx, seed, 20, 1, 6, "287082", t, hotp, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_device_hotp_verify(ctx, "acc-1", seed, 20, 1, 6, "287082", tok, t, hotp, 64, dev, 64, NULL), PCODES_STATUS_ALREADY_USED);
    free(huge);
}
