/* Hostile input through the C ABI (see hostile.c): PINs, the external pepper and generated PINs. */

#include "hostile.h"

/* ---- PINs ---- */
void test_pin(pcodes_ctx *ctx) {
    CHECK(pcodes_pin_hash_bytes() == PCODES_PIN_HASH_BYTES && PCODES_PIN_HASH_BYTES <= 128);
    CHECK(strcmp(pcodes_pin_weakness_name(PCODES_PIN_WEAK_NONE), "NONE") == 0);
    for (pcodes_pin_weakness r = 1; r <= 8; r++) {
        const char *n = pcodes_pin_weakness_name(r);
        CHECK(n != NULL && n[0] != 0 && strcmp(n, "UNKNOWN") != 0 && strcmp(n, "NONE") != 0);
    }
    static const pcodes_pin_weakness bad_reason[] = {-1, 9, 100, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad_reason / sizeof bad_reason[0]; i++)
        CHECK(strcmp(pcodes_pin_weakness_name(bad_reason[i]), "UNKNOWN") == 0);

    /* pcodes_pin_check / _reason */
    pcodes_pin_weakness why = 77;
    EXPECT(pcodes_pin_check(NULL, "583196", "583196", NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_check(ctx, NULL, "583196", NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_check(ctx, "583196", NULL, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_check(ctx, "583196", "583196", NULL), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_check(ctx, "583196", "583196", "1990-01-01"), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_check_reason(ctx, "583196", "583196", NULL, NULL), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_check_reason(ctx, "583196", "583196", NULL, &why), PCODES_STATUS_OK);
    CHECK(why == PCODES_PIN_WEAK_NONE);
    EXPECT(pcodes_pin_check_reason(NULL, "583196", "583196", NULL, &why), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_check_reason(ctx, NULL, "583196", NULL, &why), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_check_reason(ctx, "583196", NULL, NULL, &why), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_pin_check(ctx, BAD_UTF8[b], "583196", NULL), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_check(ctx, "583196", BAD_UTF8[b], NULL), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_check(ctx, "583196", "583196", BAD_UTF8[b]), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_check_reason(ctx, BAD_UTF8[b], "583196", NULL, &why), PCODES_STATUS_INVALID_ARGUMENT);
    }
    char *huge = repeat('5', MB);
    EXPECT(pcodes_pin_check(ctx, huge, huge, NULL), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_check(ctx, "", "", NULL), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_check(ctx, "58319", "58319", NULL), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_check(ctx, "５８３１９６", "５８３１９６", NULL), PCODES_STATUS_PIN_FORMAT); /* full-width */
    EXPECT(pcodes_pin_check(ctx, "583196", "583197", NULL), PCODES_STATUS_PIN_MISMATCH);
    EXPECT(pcodes_pin_check(ctx, "583196", "583196", huge), PCODES_STATUS_INVALID_BIRTH_DATE);
    EXPECT(pcodes_pin_check(ctx, "583196", "583196", "1990-02-30"), PCODES_STATUS_INVALID_BIRTH_DATE);
    EXPECT(pcodes_pin_check_reason(ctx, "123456", "123456", NULL, &why), PCODES_STATUS_PIN_WEAK);
    CHECK(why != PCODES_PIN_WEAK_NONE && strcmp(pcodes_pin_weakness_name(why), "UNKNOWN") != 0);

    /* pcodes_pin_hash */
    size_t hl = PCODES_PIN_HASH_BYTES;
    char *out = guarded(hl);
    EXPECT(pcodes_pin_hash(NULL, "acc-1", "583196", out, hl), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_hash(ctx, NULL, "583196", out, hl), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_hash(ctx, "acc-1", NULL, out, hl), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_hash(ctx, "acc-1", "583196", NULL, hl), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_hash(ctx, "", "583196", out, hl), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_pin_hash(ctx, BAD_UTF8[b], "583196", out, hl), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_hash(ctx, "acc-1", BAD_UTF8[b], out, hl), PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_pin_hash(ctx, "acc-1", huge, out, hl), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_hash(ctx, "acc-1", "58a196", out, hl), PCODES_STATUS_PIN_FORMAT);
    CHECK(untouched(out, hl));
    free(out);
    char *mbacc = repeat('a', MB);
    char stored[PCODES_PIN_HASH_BYTES];
    EXPECT(pcodes_pin_hash(ctx, mbacc, "583196", stored, sizeof stored), PCODES_STATUS_OK);
    size_t need = strlen(stored) + 1;
    for (int i = 0; i < 3; i++) {
        size_t n = i == 0 ? 0 : i == 1 ? 1 : need - 1;
        out = guarded(n);
        EXPECT(pcodes_pin_hash(ctx, "acc-1", "583196", out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
        CHECK(untouched(out, n));
        free(out);
    }

    /* pcodes_pin_verify */
    uint8_t st[64] = {0};
    EXPECT(pcodes_pin_verify(ctx, mbacc, "583196", stored, NOW, st, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", stored, NOW, st, 64), PCODES_STATUS_WRONG); /* bound to account */
    memset(st, 0, 64);
    EXPECT(pcodes_pin_verify(NULL, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify(ctx, NULL, "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", NULL, PIN_HASH, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", PIN_HASH, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
    /* Unknown account (stored NULL) with state NULL: the 0.1 header's deprecated form, the dummy
     * work, WRONG, nothing counted (docs/c-api.md, "Versions"). With a blob it counts and locks. */
    EXPECT(pcodes_pin_verify(ctx, "nobody", "583196", NULL, NOW, NULL, 0), PCODES_STATUS_WRONG);
    uint8_t nobody[PCODES_STATE_BYTES] = {0};
    EXPECT(pcodes_pin_verify(ctx, "nobody", "583196", NULL, NOW, nobody, sizeof nobody), PCODES_STATUS_WRONG);
    EXPECT(pcodes_pin_verify_finish(ctx, "nobody", "583196", NULL, NOW, nobody, sizeof nobody),
           PCODES_STATUS_NO_CHALLENGE);
    EXPECT(pcodes_pin_verify_begin(ctx, "nobody", "583196", NULL, NOW, nobody, sizeof nobody), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify_finish(ctx, "nobody", "583196", NULL, NOW, nobody, sizeof nobody), PCODES_STATUS_WRONG);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_pin_verify(ctx, BAD_UTF8[b], "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_verify(ctx, "acc-1", BAD_UTF8[b], PIN_HASH, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", BAD_UTF8[b], NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_verify_begin(ctx, "acc-1", BAD_UTF8[b], PIN_HASH, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_pin_verify_finish(ctx, "acc-1", "583196", BAD_UTF8[b], NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
    }
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
    static const char *const bad_hashes[] = {"", "$", "garbage", "$pcodes-pin$v=1", "$pcodes-pin$v=9,k=0,i=10000,n=6$AAAA$AAAA",
                                             "$pcodes-pin$v=1,k=0,i=0,n=6$$"};
    for (size_t i = 0; i < sizeof bad_hashes / sizeof bad_hashes[0]; i++) {
        pcodes_status rc = pcodes_pin_verify(ctx, "acc-1", "583196", bad_hashes[i], NOW, st, 64);
        if (rc != PCODES_STATUS_MALFORMED_HASH) printf("  (stored %s)\n", bad_hashes[i]);
        EXPECT(rc, PCODES_STATUS_MALFORMED_HASH);
        bool nr = true;
        EXPECT(pcodes_pin_needs_rehash(ctx, bad_hashes[i], &nr), PCODES_STATUS_MALFORMED_HASH);
        EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", "583196", bad_hashes[i], &nr), PCODES_STATUS_MALFORMED_HASH);
    }
    char *mbhash = repeat('$', MB);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", mbhash, NOW, st, 64), PCODES_STATUS_MALFORMED_HASH);
    EXPECT(pcodes_pin_verify(ctx, "acc-1", huge, PIN_HASH, NOW, st, 64), PCODES_STATUS_PIN_FORMAT);
    char *other_key = hcopy(PIN_HASH);
    char *k = strstr(other_key, "k=0");
    CHECK(k != NULL);
    if (k) k[2] = '9';
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", other_key, NOW, st, 64), PCODES_STATUS_UNKNOWN_KEY);
    uint64_t at = 1;
    EXPECT(pcodes_state_retry_at(st, 64, NOW, &at), PCODES_STATUS_OK);
    CHECK(at == 0); /* nothing above was counted */
    EXPECT(pcodes_pin_verify(ctx, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_OK);

    /* Two phases; compute + apply. */
    memset(st, 0, 64);
    EXPECT(pcodes_pin_verify_finish(ctx, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_NO_CHALLENGE);
    EXPECT(pcodes_pin_verify_apply(true, NOW, st, 64), PCODES_STATUS_NO_CHALLENGE);
    EXPECT(pcodes_pin_verify_apply(2, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT); /* only 0 or 1 */
    EXPECT(pcodes_pin_verify_apply(true, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_begin(NULL, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_begin(ctx, "acc-1", "583196", PIN_HASH, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_finish(ctx, NULL, "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_begin(ctx, "acc-1", huge, PIN_HASH, NOW, st, 64), PCODES_STATUS_PIN_FORMAT);
    EXPECT(pcodes_pin_verify_begin(ctx, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify_finish(ctx, "acc-1", "583196", PIN_HASH, NOW, st, 64), PCODES_STATUS_OK);
    bool m = false;
    EXPECT(pcodes_pin_verify_compute(NULL, "acc-1", "583196", PIN_HASH, &m), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_compute(ctx, NULL, "583196", PIN_HASH, &m), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", NULL, PIN_HASH, &m), PCODES_STATUS_NULL_ARGUMENT);
    m = true; /* stored = NULL: an unknown account, the dummy work, never a match */
    EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", "583196", NULL, &m), PCODES_STATUS_OK);
    CHECK(m == false);
    EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", "583196", PIN_HASH, NULL), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", BAD_UTF8[b], PIN_HASH, &m), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(m == false);
    EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", "583196", PIN_HASH, &m), PCODES_STATUS_OK);
    CHECK(m == true);
    EXPECT(pcodes_pin_verify_compute(ctx, "acc-1", "583197", PIN_HASH, &m), PCODES_STATUS_OK);
    CHECK(m == false);
    EXPECT(pcodes_pin_verify_begin(ctx, "acc-1", "583197", PIN_HASH, NOW, st, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify_apply(false, NOW, st, 64), PCODES_STATUS_WRONG);
    EXPECT(pcodes_pin_verify_apply(false, NOW, st, 64), PCODES_STATUS_NO_CHALLENGE);

    /* pcodes_pin_needs_rehash */
    bool nr = true;
    EXPECT(pcodes_pin_needs_rehash(NULL, PIN_HASH, &nr), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_needs_rehash(ctx, NULL, &nr), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_needs_rehash(ctx, PIN_HASH, NULL), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) EXPECT(pcodes_pin_needs_rehash(ctx, BAD_UTF8[b], &nr), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_pin_needs_rehash(ctx, mbhash, &nr), PCODES_STATUS_MALFORMED_HASH);
    CHECK(nr == true);
    EXPECT(pcodes_pin_needs_rehash(ctx, PIN_HASH, &nr), PCODES_STATUS_OK);
    CHECK(nr == false);
    EXPECT(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10001), PCODES_STATUS_INVALID_ARGUMENT);
    /* 10,001 gives each of the default 3 lanes 3,334 iterations, as 10,000 does: the same hash. */
    pcodes_ctx *c10001 = ctx_with(PCODES_SETTING_PIN_ITERATIONS, 10001);
    EXPECT(pcodes_pin_needs_rehash(c10001, PIN_HASH, &nr), PCODES_STATUS_OK);
    CHECK(nr == false);
    pcodes_ctx_free(c10001);
    pcodes_ctx *c10003 = ctx_with(PCODES_SETTING_PIN_ITERATIONS, 10003);
    EXPECT(pcodes_pin_needs_rehash(c10003, PIN_HASH, &nr), PCODES_STATUS_OK);
    CHECK(nr == true);
    pcodes_ctx_free(c10003);
    pcodes_ctx *c2lanes = ctx_with(PCODES_SETTING_PIN_LANES, 2);
    EXPECT(pcodes_ctx_set(c2lanes, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_needs_rehash(c2lanes, PIN_HASH, &nr), PCODES_STATUS_OK);
    CHECK(nr == true);
    pcodes_ctx_free(c2lanes);
    /* A v=1 string written by release 4a0bf34 (tests/data/v2_blobs.txt: master 0x42 x 32, key id
     * 2, account "alice", PIN "4826"): still verifies, and asks for a rehash, which is v=2. */
    {
        static const char v1[] =
            "$pcodes-pin$v=1,k=2,i=10000,n=4$Aj83IDokdsQlZqYcxVw8qA$LI28S25RwgVa/3WCEUArh6Ac1KpZEhdUrZCMpf2c+74";
        uint8_t m42[32];
        memset(m42, 0x42, sizeof m42);
        pcodes_ctx *c42 = NULL;
        EXPECT(pcodes_ctx_new(m42, 32, 2, &c42), PCODES_STATUS_OK);
        if (!c42) exit(1);
        EXPECT(pcodes_ctx_set(c42, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
        uint8_t s1[PCODES_STATE_BYTES] = {0};
        EXPECT(pcodes_pin_verify(c42, "alice", "4826", v1, NOW, s1, sizeof s1), PCODES_STATUS_OK);
        EXPECT(pcodes_pin_verify(c42, "alice", "1357", v1, NOW, s1, sizeof s1), PCODES_STATUS_WRONG);
        nr = false;
        EXPECT(pcodes_pin_needs_rehash(c42, v1, &nr), PCODES_STATUS_OK);
        CHECK(nr == true);
        char v2[PCODES_PIN_HASH_BYTES];
        EXPECT(pcodes_pin_hash(c42, "alice", "4826", v2, sizeof v2), PCODES_STATUS_OK);
        CHECK(strncmp(v2, "$pcodes-pin$v=2,k=2,l=3,i=3334,n=4$", 35) == 0);
        EXPECT(pcodes_pin_needs_rehash(c42, v2, &nr), PCODES_STATUS_OK);
        CHECK(nr == false);
        EXPECT(pcodes_pin_verify(c42, "alice", "4826", v2, NOW, s1, sizeof s1), PCODES_STATUS_OK);
        pcodes_ctx_free(c42);
    }
    free(other_key);
    free(mbhash);
    free(mbacc);
    free(huge);
}

/* ---- the external pepper (pcodes_pepper_*) ----
 * C has no HMAC here, so the "device" below computes a stand-in keyed function (FNV-1a over the
 * key and the message, spread to 32 bytes): enough to check what the library does around the
 * callback. That the callback path gives the in-memory path's hashes with a real HMAC is shown by
 * checks/tests/softhsm.rs (SoftHSM2 over PKCS#11) and the Java test (javax.crypto.Mac). */
struct device {
    uint8_t key;        /* the "key material" */
    int fail;           /* nonzero: report a failure */
    int calls;          /* calls seen */
    uint32_t last_key_id;
    size_t last_len;
    int saw_pin;        /* the PIN appeared in a message */
};

static int32_t toy_device(void *user, uint32_t key_id, const uint8_t *message, size_t message_len,
                          uint8_t *mac_out) {
    struct device *d = user;
    d->calls++;
    d->last_key_id = key_id;
    d->last_len = message_len;
    for (size_t i = 0; i + 6 <= message_len; i++)
        if (memcmp(message + i, "583196", 6) == 0) d->saw_pin = 1;
    if (d->fail) {
        memset(mac_out, 0, PCODES_PEPPER_MAC_BYTES); /* what a broken device may leave */
        return -7;
    }
    uint64_t h = 1469598103934665603ULL ^ d->key ^ ((uint64_t)key_id << 8);
    for (size_t i = 0; i < message_len; i++) h = (h ^ message[i]) * 1099511628211ULL;
    for (size_t i = 0; i < PCODES_PEPPER_MAC_BYTES; i++) {
        h = (h ^ i) * 1099511628211ULL;
        mac_out[i] = (uint8_t)(h >> 56);
    }
    return 0;
}

static pcodes_ctx *pepper_ctx(uint32_t key_id) {
    pcodes_ctx *c = NULL;
    EXPECT(pcodes_ctx_new(MASTER, 32, key_id, &c), PCODES_STATUS_OK);
    if (!c) exit(1);
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    return c;
}

void test_pepper(void) {
    CHECK(pcodes_pepper_mac_bytes() == PCODES_PEPPER_MAC_BYTES && PCODES_PEPPER_MAC_BYTES == 32);
    CHECK(pcodes_status_class(PCODES_STATUS_PEPPER_FAILED) == PCODES_CLASS_INTERNAL);
    struct device d = {0x5c, 0, 0, 99, 0, 0};
    pcodes_ctx *c = pepper_ctx(3);
    /* Refusals: nothing changes. */
    EXPECT(pcodes_pepper_set_callback(NULL, toy_device, &d, 1u << 3), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pepper_set_callback(c, NULL, &d, 1u << 3), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pepper_set_callback(NULL, NULL, NULL, 0), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pepper_set_callback(c, toy_device, &d, 0), PCODES_STATUS_INVALID_ARGUMENT);
    static const uint32_t bad_ids[] = {1u << 16, 1u << 31, 0xFFFFFFFFu, (1u << 3) | (1u << 20)};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++)
        EXPECT(pcodes_pepper_set_callback(c, toy_device, &d, bad_ids[i]), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_pepper_set_callback(c, toy_device, &d, 1u << 3), PCODES_STATUS_OK);
    CHECK(d.calls == 0);

    /* Hash, verify right / wrong / unknown account: one device call each, key id 3, no PIN. */
    char *h = guarded(PCODES_PIN_HASH_BYTES);
    EXPECT(pcodes_pin_hash(c, "acc-1", "583196", h, PCODES_PIN_HASH_BYTES), PCODES_STATUS_OK);
    /* v=2 at the default 3 lanes: domain, account, v k l, i, n, salt, and all 3 PBKDF2 blocks. */
    CHECK(d.calls == 1 && d.last_key_id == 3 && d.last_len == 20 + 4 + 5 + 3 + 4 + 1 + 16 + 3 * 32);
    uint8_t st[PCODES_STATE_BYTES] = {0};
    EXPECT(pcodes_pin_verify(c, "acc-1", "583196", h, NOW, st, sizeof st), PCODES_STATUS_OK);
    EXPECT(pcodes_pin_verify(c, "acc-1", "583197", h, NOW, st, sizeof st), PCODES_STATUS_WRONG);
    EXPECT(pcodes_pin_verify(c, "nobody", "583196", NULL, NOW, st, sizeof st), PCODES_STATUS_WRONG);
    CHECK(d.calls == 4 && d.last_key_id == 3 && d.saw_pin == 0);
    /* A format error or a lock is answered before the device is asked. */
    EXPECT(pcodes_pin_verify(c, "acc-1", "58319", h, NOW, st, sizeof st), PCODES_STATUS_PIN_FORMAT);
    CHECK(d.calls == 4);
    /* The context is in use: no more configuration. */
    EXPECT(pcodes_pepper_set_callback(c, toy_device, &d, 1u << 3), PCODES_STATUS_INVALID_ARGUMENT);

    /* Other key material on the device: the right PIN is wrong (the device decides). */
    d.key = 0x5d;
    EXPECT(pcodes_pin_verify(c, "acc-1", "583196", h, NOW, st, sizeof st), PCODES_STATUS_WRONG);
    d.key = 0x5c;

    /* A failing device: PEPPER_FAILED, no verdict, nothing counted, blob and output untouched. */
    d.fail = 1;
    uint8_t fresh[PCODES_STATE_BYTES] = {0};
    char *h2 = guarded(PCODES_PIN_HASH_BYTES);
    EXPECT(pcodes_pin_hash(c, "acc-1", "583196", h2, PCODES_PIN_HASH_BYTES), PCODES_STATUS_PEPPER_FAILED);
    CHECK(untouched(h2, PCODES_PIN_HASH_BYTES));
    const char *stored[] = {h, NULL};
    for (size_t i = 0; i < 2; i++) {
        memset(fresh, 0, sizeof fresh);
        EXPECT(pcodes_pin_verify(c, "acc-1", "583196", stored[i], NOW, fresh, sizeof fresh), PCODES_STATUS_PEPPER_FAILED);
        EXPECT(pcodes_pin_verify(c, "acc-1", "583197", stored[i], NOW, fresh, sizeof fresh), PCODES_STATUS_PEPPER_FAILED);
        uint8_t zero[PCODES_STATE_BYTES] = {0};
        CHECK(memcmp(fresh, zero, sizeof zero) == 0);
        /* Two phases: the begun attempt keeps its credit; finish again once the device is back. */
        EXPECT(pcodes_pin_verify_begin(c, "acc-1", "583196", stored[i], NOW, fresh, sizeof fresh), PCODES_STATUS_OK);
        uint8_t begun[PCODES_STATE_BYTES];
        memcpy(begun, fresh, sizeof begun);
        EXPECT(pcodes_pin_verify_finish(c, "acc-1", "583196", stored[i], NOW, fresh, sizeof fresh), PCODES_STATUS_PEPPER_FAILED);
        CHECK(memcmp(fresh, begun, sizeof begun) == 0);
        d.fail = 0;
        EXPECT(pcodes_pin_verify_finish(c, "acc-1", "583196", stored[i], NOW, fresh, sizeof fresh),
               stored[i] ? PCODES_STATUS_OK : PCODES_STATUS_WRONG);
        d.fail = 1;
    }
    free(h2);
    pcodes_ctx_free(c);

    /* Key ids the callback does not serve stay in memory: a hash made in memory under key 2 verifies
       in a context whose device serves key 3 only (the current one). */
    pcodes_ctx *mem = pepper_ctx(2);
    EXPECT(pcodes_pin_hash(mem, "acc-1", "583196", h, PCODES_PIN_HASH_BYTES), PCODES_STATUS_OK);
    pcodes_ctx_free(mem);
    c = pepper_ctx(3);
    EXPECT(pcodes_ctx_add_key(c, MASTER, 32, 2), PCODES_STATUS_OK);
    struct device d2 = {0x5c, 0, 0, 99, 0, 0};
    EXPECT(pcodes_pepper_set_callback(c, toy_device, &d2, 1u << 3), PCODES_STATUS_OK);
    memset(st, 0, sizeof st);
    EXPECT(pcodes_pin_verify(c, "acc-1", "583196", h, NOW, st, sizeof st), PCODES_STATUS_OK);
    CHECK(d2.calls == 1); /* not for the tag: one padding call, an unknown account's cost */
    d2.fail = 1;
    EXPECT(pcodes_pin_verify(c, "acc-1", "583196", h, NOW, st, sizeof st), PCODES_STATUS_PEPPER_FAILED);
    d2.fail = 0;
    bool rehash = false;
    EXPECT(pcodes_pin_needs_rehash(c, h, &rehash), PCODES_STATUS_OK);
    CHECK(rehash);
    pcodes_ctx_free(c);
    free(h);
}

/* ---- Generated PINs (pcodes_pin_generate) ---- */
void test_pin_generate(pcodes_ctx *ctx) {
    CHECK(pcodes_pin_generate_bytes() == PCODES_PIN_GENERATE_BYTES && PCODES_PIN_GENERATE_BYTES == 7);
    size_t n = PCODES_PIN_GENERATE_BYTES;
    char *out = guarded(n);
    EXPECT(pcodes_pin_generate(NULL, 6, NULL, out, n), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_generate(ctx, 6, NULL, NULL, n), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_pin_generate(NULL, 6, NULL, NULL, 0), PCODES_STATUS_NULL_ARGUMENT);
    static const uint32_t bad_length[] = {0, 1, 3, 5, 7, 8, 64, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad_length / sizeof bad_length[0]; i++)
        EXPECT(pcodes_pin_generate(ctx, bad_length[i], NULL, out, n), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_pin_generate(ctx, 6, BAD_UTF8[b], out, n), PCODES_STATUS_INVALID_ARGUMENT);
    char *huge = repeat('1', MB);
    EXPECT(pcodes_pin_generate(ctx, 6, huge, out, n), PCODES_STATUS_INVALID_BIRTH_DATE);
    EXPECT(pcodes_pin_generate(ctx, 4, "1990-02-30", out, n), PCODES_STATUS_INVALID_BIRTH_DATE);
    EXPECT(pcodes_pin_generate(ctx, 4, "", out, n), PCODES_STATUS_INVALID_BIRTH_DATE);
    /* out over the birth date: refused, nothing written. */
    char over[16] = "1987-05-25";
    EXPECT(pcodes_pin_generate(ctx, 4, over, over + 4, 7), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp(over, "1987-05-25") == 0);
    CHECK(untouched(out, n));
    free(out);
    /* Too short a buffer (out_len < 7), whatever the length: untouched. */
    for (size_t short_len = 0; short_len < PCODES_PIN_GENERATE_BYTES; short_len++) {
        for (uint32_t len = 4; len <= 6; len += 2) {
            out = guarded(short_len);
            EXPECT(pcodes_pin_generate(ctx, len, NULL, out, short_len), PCODES_STATUS_BUFFER_TOO_SMALL);
            CHECK(untouched(out, short_len));
            free(out);
        }
    }
    /* A length PIN_LENGTHS does not allow. */
    pcodes_ctx *only6 = ctx_with(PCODES_SETTING_PIN_LENGTHS, 0x40);
    out = guarded(n);
    EXPECT(pcodes_pin_generate(only6, 4, NULL, out, n), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(out, n));
    EXPECT(pcodes_pin_generate(only6, 6, NULL, out, n), PCODES_STATUS_OK);
    CHECK(strlen(out) == 6);
    free(out);
    pcodes_ctx_free(only6);
    /* Each generated PIN, in a buffer of exactly 7 bytes, passes pcodes_pin_check. */
    static const char *const births[] = {NULL, "1987-05-25", "2000-01-01"};
    for (size_t b = 0; b < 3; b++) {
        for (uint32_t len = 4; len <= 6; len += 2) {
            for (int i = 0; i < 200; i++) {
                out = guarded(n);
                EXPECT(pcodes_pin_generate(ctx, len, births[b], out, n), PCODES_STATUS_OK);
                CHECK(strlen(out) == len && strspn(out, "0123456789") == len);
                EXPECT(pcodes_pin_check(ctx, out, out, births[b]), PCODES_STATUS_OK);
                free(out);
            }
        }
    }
    free(huge);
}
