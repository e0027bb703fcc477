/* Hostile input through the C ABI (see hostile.c): state blobs: every call refuses blobs of the wrong kind, version or length. */

#include "hostile.h"

/* ---- state blobs ---- */

/* Valid blobs of each kind, made through the library. */
uint8_t LINK_ST[64], OTP_ST[64], TOTP_ST[64], HOTP_ST[64], PIN_ST[64], REC_ST[64];
const uint8_t *const KIND_ST[N_KINDS] = {LINK_ST, OTP_ST, TOTP_ST, HOTP_ST, PIN_ST, REC_ST};
/* The recovery set of account "acc-1" in REC_ST: its stored string and codes. */
char REC_STORED[PCODES_RECOVERY_STORED_BYTES];
char REC_CODES[4 * PCODES_RECOVERY_CODE_BYTES];
char PIN_HASH[PCODES_PIN_HASH_BYTES]; /* "583196" for account "acc-1" */

void make_states(const pcodes_ctx *ctx) {
    pcodes_child ch = ivan();
    char code[PCODES_LINK_CODE_BYTES];
    EXPECT(pcodes_link_issue(ctx, 42, &ch, NOW, LINK_ST, 64, code, sizeof code), PCODES_STATUS_OK);
    char otp[PCODES_OTP_CODE_BYTES];
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, OTP_ST, 64, otp, sizeof otp), PCODES_STATUS_OK);
    char t[PCODES_TOTP_CODE_BYTES];
    EXPECT(pcodes_totp_code(SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, NOW, t, sizeof t), PCODES_STATUS_OK);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, t, NOW, TOTP_ST, 64, NULL),
           PCODES_STATUS_OK);
    EXPECT(pcodes_hotp_code(SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 0, t, sizeof t), PCODES_STATUS_OK);
    EXPECT(strcmp(t, "755224"), 0); /* RFC 4226 appendix D */
    EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, t, NOW, HOTP_ST, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_hash(ctx, "acc-1", "583196", PIN_HASH, sizeof PIN_HASH), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583197", PIN_HASH, NOW, PIN_ST, 64), PCODES_STATUS_WRONG);
    EXPECT(pcodes_recovery_generate(ctx, "acc-1", 4, REC_ST, 64, REC_CODES, sizeof REC_CODES, REC_STORED,
                                    sizeof REC_STORED),
           PCODES_STATUS_OK);
    for (int k = 0; k < N_KINDS; k++) CHECK(KIND_ST[k][0] != 0 && KIND_ST[k][1] != 0);
}

/* Corrupt variants of a valid blob `base`: every one must be CORRUPT_STATE for any flow. */
#define N_CORRUPT 8
static void corrupt(const uint8_t *base, int which, uint8_t out[64]) {
    memcpy(out, base, 64);
    switch (which) {
    case 0: out[1] = 0; break;           /* version 0 with a kind */
    case 1: out[1] = 5; break;           /* a future version */
    case 2: out[1] = 0xFF; break;
    case 3: out[0] = 0; break;           /* kind 0 but not all zeros */
    case 4: out[0] = 8; break;           /* unknown kinds (7 is the device blob's) */
    case 5: out[0] = 0xFF; break;
    case 6: memset(out + 8, 0, 5); out[13] = 1; break; /* budget clock after the last failure */
    default: memset(out, 0, 64); out[63] = 1; break; /* "fresh" but with a stray payload byte */
    }
}

/* Runs `call` (one state-taking function bound to a state pointer and length) against every blob
 * it must refuse: other flows' blobs, corrupt blobs, wrong lengths; checks CORRUPT_STATE and that
 * the blob (and the output buffer, if any) is untouched. */
typedef pcodes_status (*state_call)(const pcodes_ctx *ctx, uint8_t *st, size_t len, char *out, size_t out_len);

static void refuse_bad_states(const char *name, const pcodes_ctx *ctx, int own_kind, state_call call, size_t out_len) {
    uint8_t *st = guarded(64);
    for (int k = 0; k < N_KINDS; k++) {
        for (int w = -1; w < N_CORRUPT; w++) {
            if (w == -1 && k == own_kind) continue; /* its own valid kind */
            uint8_t want[64];
            if (w == -1)
                memcpy(want, KIND_ST[k], 64);
            else
                corrupt(KIND_ST[k], w, want);
            memcpy(st, want, 64);
            char *out = out_len ? guarded(out_len) : NULL;
            pcodes_status rc = call(ctx, st, 64, out, out_len);
            if (rc != PCODES_STATUS_CORRUPT_STATE)
                printf("  (%s, kind %d, corruption %d)\n", name, k, w);
            EXPECT(rc, PCODES_STATUS_CORRUPT_STATE);
            CHECK(memcmp(st, want, 64) == 0);
            if (out) CHECK(untouched(out, out_len));
            free(out);
        }
    }
    free(st);
    /* Wrong lengths: 0, 63 and 65 (the buffers really are that long), even all zeros. */
    static const size_t lens[] = {0, 1, 32, 63, 65, 128};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t *b = calloc(lens[i] ? lens[i] : 1, 1);
        char *out = out_len ? guarded(out_len) : NULL;
        pcodes_status rc = call(ctx, b, lens[i], out, out_len);
        if (rc != PCODES_STATUS_CORRUPT_STATE) printf("  (%s, length %zu)\n", name, lens[i]);
        EXPECT(rc, PCODES_STATUS_CORRUPT_STATE);
        int zero = 1;
        for (size_t j = 0; j < lens[i]; j++) zero &= b[j] == 0;
        CHECK(zero);
        if (out) CHECK(untouched(out, out_len));
        free(out);
        free(b);
    }
    /* NULL state. */
    char *out = out_len ? guarded(out_len) : NULL;
    EXPECT(call(ctx, NULL, 64, out, out_len), PCODES_STATUS_NULL_ARGUMENT);
    if (out) CHECK(untouched(out, out_len));
    free(out);
}

static pcodes_status call_link_issue(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    pcodes_child ch = ivan();
    return pcodes_link_issue(c, 42, &ch, NOW, st, len, out, out_len);
}
static pcodes_status call_link_redeem(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    pcodes_child ch = ivan();
    return pcodes_link_redeem(c, "00000-00000-00000-00000-00000", &ch, NOW, st, len);
}
static pcodes_status call_otp_issue(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    return pcodes_otp_issue(c, "login", NOW + 3600, st, len, out, out_len);
}
static pcodes_status call_otp_verify(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    return pcodes_otp_verify(c, "login", "123456", NOW + 10, st, len);
}
static pcodes_status call_totp_verify(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out_len;
    return pcodes_totp_verify(c, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, 30, "123456", NOW + 300, st, len,
                              (int32_t *)(void *)out);
}
static pcodes_status call_hotp_verify(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    return pcodes_hotp_verify(c, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, "123456", NOW, st, len);
}
static pcodes_status call_pin_verify(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    return pcodes_pin_verify(c, "acc-1", "583196", PIN_HASH, NOW, st, len);
}
static pcodes_status call_pin_begin(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    return pcodes_pin_verify_begin(c, "acc-1", "583196", PIN_HASH, NOW, st, len);
}
static pcodes_status call_pin_finish(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out, (void)out_len;
    return pcodes_pin_verify_finish(c, "acc-1", "583196", PIN_HASH, NOW, st, len);
}
static pcodes_status call_pin_apply(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)c, (void)out, (void)out_len;
    return pcodes_pin_verify_apply(true, NOW, st, len);
}
static pcodes_status call_recovery_generate(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    char stored[PCODES_RECOVERY_STORED_BYTES];
    return pcodes_recovery_generate(c, "acc-1", 2, st, len, out, out_len, stored, sizeof stored);
}
static pcodes_status call_recovery_verify(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)out_len;
    return pcodes_recovery_verify(c, "acc-1", REC_STORED, REC_CODES, NOW, st, len, (uint32_t *)(void *)out);
}
static pcodes_status call_recovery_remaining(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)c, (void)out_len;
    return pcodes_recovery_remaining(st, len, (uint32_t *)(void *)out);
}
static pcodes_status call_retry_at(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)c, (void)out_len;
    return pcodes_state_retry_at(st, len, NOW, (uint64_t *)(void *)out);
}
static pcodes_status call_reset(const pcodes_ctx *c, uint8_t *st, size_t len, char *out, size_t out_len) {
    (void)c, (void)out, (void)out_len;
    return pcodes_state_reset(st, len);
}

void test_states(const pcodes_ctx *ctx) {
    refuse_bad_states("link_issue", ctx, K_LINK, call_link_issue, PCODES_LINK_CODE_BYTES);
    refuse_bad_states("link_redeem", ctx, K_LINK, call_link_redeem, 0);
    refuse_bad_states("otp_issue", ctx, K_OTP, call_otp_issue, PCODES_OTP_CODE_BYTES);
    refuse_bad_states("otp_verify", ctx, K_OTP, call_otp_verify, 0);
    refuse_bad_states("totp_verify", ctx, K_TOTP, call_totp_verify, sizeof(int32_t));
    refuse_bad_states("hotp_verify", ctx, K_HOTP, call_hotp_verify, 0);
    refuse_bad_states("pin_verify", ctx, K_PIN, call_pin_verify, 0);
    refuse_bad_states("pin_verify_begin", ctx, K_PIN, call_pin_begin, 0);
    refuse_bad_states("pin_verify_finish", ctx, K_PIN, call_pin_finish, 0);
    refuse_bad_states("pin_verify_apply", ctx, K_PIN, call_pin_apply, 0);
    refuse_bad_states("recovery_generate", ctx, K_REC, call_recovery_generate, 2 * PCODES_RECOVERY_CODE_BYTES);
    refuse_bad_states("recovery_verify", ctx, K_REC, call_recovery_verify, sizeof(uint32_t));
    refuse_bad_states("recovery_remaining", ctx, K_REC, call_recovery_remaining, sizeof(uint32_t));

    /* The generic helpers accept every valid kind, refuse corrupt blobs and wrong lengths. */
    uint8_t st[64];
    uint64_t at = 77;
    for (int k = 0; k < N_KINDS; k++) {
        memcpy(st, KIND_ST[k], 64);
        EXPECT(pcodes_state_retry_at(st, 64, NOW, &at), PCODES_STATUS_OK);
        EXPECT(pcodes_state_reset(st, 64), PCODES_STATUS_OK);
        for (int w = 0; w < N_CORRUPT; w++) {
            uint8_t want[64];
            corrupt(KIND_ST[k], w, want);
            memcpy(st, want, 64);
            at = 77;
            EXPECT(pcodes_state_retry_at(st, 64, NOW, &at), PCODES_STATUS_CORRUPT_STATE);
            CHECK(at == 77);
            EXPECT(pcodes_state_reset(st, 64), PCODES_STATUS_CORRUPT_STATE);
            CHECK(memcmp(st, want, 64) == 0);
        }
    }
    /* Revocation and events: every valid kind is accepted, every corrupt blob refused and left
       as it was, the events output written only on OK. */
    pcodes_events ev;
    for (int k = 0; k < N_KINDS; k++) {
        memcpy(st, KIND_ST[k], 64);
        memset(&ev, SENTINEL, sizeof ev);
        EXPECT(pcodes_state_events(ctx, KIND_ST[k], 64, st, 64, NOW, &ev), PCODES_STATUS_OK);
        CHECK(ev.flags == 0 && ev.failures_left == 0 && ev.locked_until == 0 && ev.recovery_left == 0);
        EXPECT(pcodes_state_revoke(st, 64, PCODES_REVOKE_CODES | PCODES_REVOKE_RECOVERY), PCODES_STATUS_OK);
        EXPECT(pcodes_state_events(ctx, KIND_ST[k], 64, st, 64, NOW, &ev), PCODES_STATUS_OK);
        CHECK(ev.flags == 0);
        for (int w = 0; w < N_CORRUPT; w++) {
            uint8_t want[64];
            corrupt(KIND_ST[k], w, want);
            memcpy(st, want, 64);
            EXPECT(pcodes_state_revoke(st, 64, PCODES_REVOKE_CODES), PCODES_STATUS_CORRUPT_STATE);
            CHECK(memcmp(st, want, 64) == 0);
            memset(&ev, SENTINEL, sizeof ev);
            EXPECT(pcodes_state_events(ctx, KIND_ST[k], 64, st, 64, NOW, &ev), PCODES_STATUS_CORRUPT_STATE);
            EXPECT(pcodes_state_events(ctx, st, 64, KIND_ST[k], 64, NOW, &ev), PCODES_STATUS_CORRUPT_STATE);
            CHECK(untouched(&ev, sizeof ev));
        }
    }
    memcpy(st, KIND_ST[0], 64);
    EXPECT(pcodes_state_events(ctx, KIND_ST[1], 64, st, 64, NOW, &ev), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(strncmp(pcodes_last_error_detail(), "new_state: ", 11) == 0);
    for (uint32_t what = 0; what < 64; what++) {
        if (what >= 1 && what <= 7) continue; /* CODES, RECOVERY, DEVICES */
        EXPECT(pcodes_state_revoke(st, 64, what), PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_state_revoke(st, 64, UINT32_MAX), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(memcmp(st, KIND_ST[0], 64) == 0);
    EXPECT(pcodes_state_revoke(NULL, 64, PCODES_REVOKE_CODES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_revoke(st, 63, PCODES_REVOKE_CODES), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_events(NULL, st, 64, st, 64, NOW, &ev), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_events(ctx, NULL, 64, st, 64, NOW, &ev), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_events(ctx, st, 64, NULL, 64, NOW, &ev), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_events(ctx, st, 64, st, 64, NOW, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_events(ctx, st, 65, st, 64, NOW, &ev), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_events(ctx, st, 64, st, 0, NOW, &ev), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_events(ctx, st, 64, st, 64, 0, &ev), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_state_events(ctx, st, 64, st, 64, NOW, (pcodes_events *)(void *)st), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(memcmp(st, KIND_ST[0], 64) == 0);

    memset(st, 0, 64);
    EXPECT(pcodes_state_retry_at(st, 64, NOW, &at), PCODES_STATUS_OK);
    CHECK(at == 0);
    EXPECT(pcodes_state_retry_at(st, 64, NOW, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_retry_at(NULL, 64, NOW, &at), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_reset(NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_state_reset(st, 64), PCODES_STATUS_OK);
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
    uint8_t *b = calloc(65, 1);
    EXPECT(pcodes_state_retry_at(b, 65, NOW, &at), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_retry_at(b, 63, NOW, &at), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_retry_at(b, 0, NOW, &at), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_reset(b, 65), PCODES_STATUS_CORRUPT_STATE);
    EXPECT(pcodes_state_reset(b, 0), PCODES_STATUS_CORRUPT_STATE);
    free(b);
    /* Also check the helpers through the common driver (NULL state, lengths). */
    uint64_t *o = guarded(sizeof(uint64_t));
    EXPECT(call_retry_at(ctx, NULL, 64, (char *)(void *)o, 0), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(call_reset(ctx, NULL, 64, NULL, 0), PCODES_STATUS_NULL_ARGUMENT);
    free(o);
}
