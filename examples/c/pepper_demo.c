/*
 * The PIN pepper in an HSM, from C: pcodes_pepper_set_callback hands the keyed step of PIN
 * hashing to the host. Here the "HSM" is OpenSSL's HMAC-SHA256 over a key the demo holds
 * (in production: PKCS#11 C_SignInit/C_Sign with CKM_SHA256_HMAC under a non-extractable key,
 * as checks/tests/softhsm.rs does against SoftHSM2, or a cloud KMS's HMAC call). The device
 * holds the pepper of master key 2, imported as docs/pin.md says, so a hash made through the
 * device verifies in memory and the other way round; the device never sees the PIN; a device
 * failure is PEPPER_FAILED: no verdict, nothing counted, the blob unchanged. Every expectation
 * is checked; the exit code is the number of failures. Build: cc ... -lcrypto.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "portal_codes.h"
#include "check.h"

/* The device: one key (id 2), a switch to take it down, and what it was shown. */
struct hsm {
    uint8_t key[32];
    int down;
    int calls;
    int saw_pin;
};

static const char *const PIN = "385027";

static int32_t hsm_mac(void *user, uint32_t key_id, const uint8_t *message, size_t message_len,
                       uint8_t *mac_out) {
    struct hsm *h = user;
    h->calls++;
    for (size_t i = 0; i + 6 <= message_len; i++) {
        if (memcmp(message + i, PIN, 6) == 0) h->saw_pin = 1;
    }
    if (h->down || key_id != 2) return -1; /* unreachable or no such key: never a fallback */
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), h->key, sizeof h->key, message, message_len, mac_out, &len) || len != 32)
        return -1;
    return 0;
}

static pcodes_ctx *make_ctx(struct hsm *device) {
    uint8_t master[32];
    memset(master, 0x42, sizeof master);
    pcodes_ctx *ctx = NULL;
    CHECK_STATUS(pcodes_ctx_new(master, sizeof master, 2, &ctx), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    if (device) CHECK_STATUS(pcodes_pepper_set_callback(ctx, hsm_mac, device, 1u << 2), PCODES_STATUS_OK);
    return ctx;
}

int main(void) {
    /* Import: pepper[2] = HMAC-SHA256(master key 2, "portal-codes/v1/pin-pepper" 0x00 2). */
    struct hsm device = {0};
    uint8_t master[32];
    memset(master, 0x42, sizeof master);
    static const uint8_t label[] = "portal-codes/v1/pin-pepper\0\2"; /* label, 0x00, id (+ C's NUL) */
    unsigned int len = 0;
    CHECK(HMAC(EVP_sha256(), master, sizeof master, label, sizeof label - 1, device.key, &len) && len == 32);

    pcodes_ctx *in_memory = make_ctx(NULL);
    pcodes_ctx *with_hsm = make_ctx(&device);
    char a[PCODES_PIN_HASH_BYTES], b[PCODES_PIN_HASH_BYTES];
    CHECK_STATUS(pcodes_pin_hash(with_hsm, "account-1001", PIN, a, sizeof a), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_hash(in_memory, "account-1001", PIN, b, sizeof b), PCODES_STATUS_OK);
    CHECK(device.calls == 1);
    printf("hashed through the HSM: %.24s... (%d device call)\n", a, device.calls);

    /* Each verifies with the other pepper: the device computes what the in-memory pepper does.
     * As every verdict: final only once the host's compare-and-swap has stored the blob. */
    uint8_t st[PCODES_STATE_BYTES] = {0};
    uint64_t now = 1750000000;
    CHECK_STATUS(pcodes_pin_verify(in_memory, "account-1001", PIN, a, now, st, sizeof st), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_verify(with_hsm, "account-1001", PIN, b, now, st, sizeof st), PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_pin_verify(with_hsm, "account-1001", "111111", b, now, st, sizeof st),
                 PCODES_STATUS_WRONG);
    printf("in-memory hash verified through the HSM and back: OK; a wrong PIN -> WRONG\n");

    /* The device goes down: no verdict, nothing counted, the blob unchanged. */
    device.down = 1;
    uint8_t before[PCODES_STATE_BYTES];
    memcpy(before, st, sizeof st);
    CHECK_STATUS(pcodes_pin_verify(with_hsm, "account-1001", PIN, b, now + 1, st, sizeof st),
                 PCODES_STATUS_PEPPER_FAILED);
    CHECK(memcmp(before, st, sizeof st) == 0);
    printf("HSM unreachable -> %s, blob unchanged (show \"try again later\", not \"wrong PIN\")\n",
           pcodes_status_name(PCODES_STATUS_PEPPER_FAILED));
    device.down = 0;
    CHECK_STATUS(pcodes_pin_verify(with_hsm, "account-1001", PIN, b, now + 2, st, sizeof st), PCODES_STATUS_OK);
    CHECK(!device.saw_pin);
    printf("%d device calls, none of them shown the PIN\n", device.calls);

    pcodes_ctx_free(in_memory);
    pcodes_ctx_free(with_hsm);
    return CHECK_DONE();
}
