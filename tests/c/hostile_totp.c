/* Hostile input through the C ABI (see hostile.c): HOTP, TOTP and base32. */

#include "hostile.h"

/* ---- HOTP / TOTP / base32 ---- */
static const pcodes_algorithm BAD_ALG[] = {0, 4, 5, -1, 255, INT32_MIN, INT32_MAX};
#define N_BAD_ALG (sizeof BAD_ALG / sizeof BAD_ALG[0])
static const uint32_t BAD_DIGITS[] = {0, 1, 5, 9, 10, UINT32_MAX};
#define N_BAD_DIGITS (sizeof BAD_DIGITS / sizeof BAD_DIGITS[0])
static const uint32_t BAD_PERIOD[] = {0, 3601, UINT32_MAX};
#define N_BAD_PERIOD (sizeof BAD_PERIOD / sizeof BAD_PERIOD[0])
static const size_t BAD_SECRET_LEN[] = {0, 1, 9, 65, 1000};
#define N_BAD_SECRET_LEN (sizeof BAD_SECRET_LEN / sizeof BAD_SECRET_LEN[0])

void test_totp(const pcodes_ctx *ctx) {
    /* pcodes_totp_secret */
    uint8_t *sec = guarded(64);
    EXPECT(pcodes_totp_secret(NULL, sec, 20), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_secret(ctx, NULL, 20), PCODES_STATUS_NULL_ARGUMENT);
    static const size_t bad_gen[] = {0, 1, 15, 65, 1000};
    for (size_t i = 0; i < 5; i++) EXPECT(pcodes_totp_secret(ctx, sec, bad_gen[i]), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(sec, 64));
    free(sec);
    for (size_t n = 16; n <= 64; n += 48) {
        sec = guarded(n);
        EXPECT(pcodes_totp_secret(ctx, sec, n), PCODES_STATUS_OK);
        CHECK(!untouched(sec, n));
        free(sec);
    }

    /* pcodes_totp_code / pcodes_hotp_code */
    char *out;
    char *big = guarded(1000);
    EXPECT(pcodes_totp_code(NULL, 20, 1, 6, 30, NOW, big, 1000), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_code(SECRET, 20, 1, 6, 30, NOW, NULL, 1000), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_code(NULL, 20, 1, 6, 0, big, 1000), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_code(SECRET, 20, 1, 6, 0, NULL, 1000), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t i = 0; i < N_BAD_ALG; i++) {
        EXPECT(pcodes_totp_code(SECRET, 20, BAD_ALG[i], 6, 30, NOW, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_code(SECRET, 20, BAD_ALG[i], 6, 0, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
    }
    for (size_t i = 0; i < N_BAD_DIGITS; i++) {
        EXPECT(pcodes_totp_code(SECRET, 20, 1, BAD_DIGITS[i], 30, NOW, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_code(SECRET, 20, 1, BAD_DIGITS[i], 0, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
    }
    for (size_t i = 0; i < N_BAD_PERIOD; i++)
        EXPECT(pcodes_totp_code(SECRET, 20, 1, 6, BAD_PERIOD[i], NOW, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_SECRET_LEN; i++) {
        uint8_t *s = guarded(BAD_SECRET_LEN[i]);
        EXPECT(pcodes_totp_code(s, BAD_SECRET_LEN[i], 1, 6, 30, NOW, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_code(s, BAD_SECRET_LEN[i], 1, 6, 0, big, 1000), PCODES_STATUS_INVALID_ARGUMENT);
        free(s);
    }
    CHECK(untouched(big, 1000));
    for (uint32_t d = 6; d <= 8; d++) {
        for (size_t n = 0; n <= d; n++) {
            out = guarded(n);
            EXPECT(pcodes_totp_code(SECRET, 20, 1, d, 30, NOW, out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
            EXPECT(pcodes_hotp_code(SECRET, 20, 1, d, 0, out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
            CHECK(untouched(out, n));
            free(out);
        }
        out = guarded(d + 1);
        EXPECT(pcodes_totp_code(SECRET, 20, 1, d, 30, 59, out, d + 1), PCODES_STATUS_OK);
        /* RFC 6238 appendix B, T = 59, SHA-1: 94287082 */
        CHECK(strcmp(out, d == 8 ? "94287082" : d == 7 ? "4287082" : "287082") == 0);
        free(out);
    }
    free(big);

    /* pcodes_totp_verify / pcodes_hotp_verify */
    uint8_t st[64] = {0};
    int32_t drift = 99;
    char t[PCODES_TOTP_CODE_BYTES];
    EXPECT(pcodes_totp_code(SECRET, 20, 1, 6, 30, NOW, t, sizeof t), PCODES_STATUS_OK);
    EXPECT(pcodes_totp_verify(NULL, SECRET, 20, 1, 6, 30, t, NOW, st, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_verify(ctx, NULL, 20, 1, 6, 30, t, NOW, st, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, NULL, NOW, st, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, t, NOW, NULL, 64, &drift), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify(NULL, SECRET, 20, 1, 6, "755224", NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify(ctx, NULL, 20, 1, 6, "755224", NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, 6, NULL, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, 6, "755224", NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    uint64_t counter = 99;
    EXPECT(pcodes_hotp_verify_counter(NULL, SECRET, 20, 1, 6, "755224", NOW, st, 64, &counter),
           PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify_counter(ctx, NULL, 20, 1, 6, "755224", NOW, st, 64, &counter),
           PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, NULL, NOW, st, 64, &counter),
           PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "755224", NOW, NULL, 64, &counter),
           PCODES_STATUS_NULL_ARGUMENT);
    uint64_t ov[8] = {0}; /* an aligned state blob, with counter_out inside it */
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "755224", NOW, (uint8_t *)ov, 64, &ov[1]),
           PCODES_STATUS_INVALID_ARGUMENT);
    for (int i = 0; i < 8; i++) CHECK(ov[i] == 0);
    for (size_t i = 0; i < N_BAD_ALG; i++)
        EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, BAD_ALG[i], 6, "755224", NOW, st, 64, &counter),
               PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_DIGITS; i++)
        EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, BAD_DIGITS[i], "755224", NOW, st, 64, &counter),
               PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, BAD_UTF8[b], NOW, st, 64, &counter),
               PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(counter == 99);
    for (size_t i = 0; i < N_BAD_ALG; i++) {
        EXPECT(pcodes_totp_verify(ctx, SECRET, 20, BAD_ALG[i], 6, 30, t, NOW, st, 64, &drift),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, BAD_ALG[i], 6, "755224", NOW, st, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
    }
    for (size_t i = 0; i < N_BAD_DIGITS; i++) {
        EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, BAD_DIGITS[i], 30, t, NOW, st, 64, &drift),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, BAD_DIGITS[i], "755224", NOW, st, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
    }
    for (size_t i = 0; i < N_BAD_PERIOD; i++)
        EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, BAD_PERIOD[i], t, NOW, st, 64, &drift),
               PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_SECRET_LEN; i++) {
        uint8_t *s = guarded(BAD_SECRET_LEN[i]);
        EXPECT(pcodes_totp_verify(ctx, s, BAD_SECRET_LEN[i], 1, 6, 30, t, NOW, st, 64, &drift),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_verify(ctx, s, BAD_SECRET_LEN[i], 1, 6, "755224", NOW, st, 64),
               PCODES_STATUS_INVALID_ARGUMENT);
        free(s);
    }
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, BAD_UTF8[b], NOW, st, 64, &drift),
               PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, 6, BAD_UTF8[b], NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
    }
    CHECK(drift == 99);
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0); /* nothing above got as far as the state */
    char *huge = repeat('7', MB);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, huge, NOW, st, 64, &drift), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, "", NOW, st, 64, &drift), PCODES_STATUS_MISTYPED);
    uint8_t hst[64] = {0};
    EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, 6, huge, NOW, hst, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_hotp_verify(ctx, SECRET, 20, 1, 6, "", NOW, hst, 64), PCODES_STATUS_MISTYPED);
    /* RFC 4226 appendix D: counter 1 is 287082, 3 is 969429; the counter comes back only on OK. */
    uint8_t cst[64] = {0};
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "969429", NOW, cst, 64, &counter), PCODES_STATUS_OK);
    CHECK(counter == 3);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "969429", NOW, cst, 64, &counter),
           PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "287082", NOW, cst, 64, &counter), PCODES_STATUS_WRONG);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, huge, NOW, cst, 64, &counter), PCODES_STATUS_MISTYPED);
    CHECK(counter == 3);
    EXPECT(pcodes_hotp_verify_counter(ctx, SECRET, 20, 1, 6, "338314", NOW, cst, 64, NULL), PCODES_STATUS_OK);
    char *spaced = repeat(' ', MB);
    memcpy(spaced + 12345, t, 6);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, spaced, NOW, st, 64, NULL), PCODES_STATUS_OK);
    EXPECT(pcodes_totp_verify(ctx, SECRET, 20, 1, 6, 30, t, NOW, st, 64, &drift), PCODES_STATUS_ALREADY_USED);
    CHECK(drift == 99);
    free(spaced);
    free(huge);

    /* pcodes_totp_uri */
    size_t ul = PCODES_TOTP_URI_BYTES;
    out = guarded(ul);
    EXPECT(pcodes_totp_uri(NULL, 20, "Portal", "ivan", 1, 6, 30, out, ul), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, NULL, "ivan", 1, 6, 30, out, ul), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", NULL, 1, 6, 30, out, ul), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", "ivan", 1, 6, 30, NULL, ul), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t i = 0; i < N_BAD_ALG; i++)
        EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", "ivan", BAD_ALG[i], 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_DIGITS; i++)
        EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", "ivan", 1, BAD_DIGITS[i], 30, out, ul),
               PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_PERIOD; i++)
        EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", "ivan", 1, 6, BAD_PERIOD[i], out, ul),
               PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t i = 0; i < N_BAD_SECRET_LEN; i++) {
        uint8_t *s = guarded(BAD_SECRET_LEN[i]);
        EXPECT(pcodes_totp_uri(s, BAD_SECRET_LEN[i], "Portal", "ivan", 1, 6, 30, out, ul),
               PCODES_STATUS_INVALID_ARGUMENT);
        free(s);
    }
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_totp_uri(SECRET, 20, BAD_UTF8[b], "ivan", 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", BAD_UTF8[b], 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    }
    char *iss65 = repeat('i', 65), *acc129 = repeat('a', 129), *iss64 = repeat('i', 64), *acc128 = repeat('a', 128);
    char *mb = repeat('m', MB);
    static const char *const bad_names[] = {"", "a:b", "tab\there", "nl\n", "\x7f"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        EXPECT(pcodes_totp_uri(SECRET, 20, bad_names[i], "ivan", 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", bad_names[i], 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    }
    EXPECT(pcodes_totp_uri(SECRET, 20, iss65, "ivan", 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", acc129, 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, mb, "ivan", 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_totp_uri(SECRET, 20, "Portal", mb, 1, 6, 30, out, ul), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(out, ul));
    free(out);
    /* The longest URI (64-byte secret, 64-byte issuer and 128-byte account of 2-byte letters,
     * all percent-encoded, non-default parameters) fits PCODES_TOTP_URI_BYTES; one byte less than
     * it needs is BUFFER_TOO_SMALL and untouched. */
    uint8_t s64[64];
    memset(s64, 0xEE, 64);
    char issd[65], accd[129];
    for (int i = 0; i < 64; i += 2) memcpy(issd + i, "Д", 2);
    issd[64] = 0;
    for (int i = 0; i < 128; i += 2) memcpy(accd + i, "ж", 2);
    accd[128] = 0;
    out = guarded(ul);
    EXPECT(pcodes_totp_uri(s64, 64, issd, accd, PCODES_ALGORITHM_SHA512, 8, 3600, out, ul), PCODES_STATUS_OK);
    size_t need = strlen(out) + 1;
    CHECK(need <= ul);
    free(out);
    EXPECT(pcodes_totp_uri(SECRET, 20, iss64, acc128, 1, 6, 30, (out = guarded(ul)), ul), PCODES_STATUS_OK);
    free(out);
    static const size_t shorts[] = {0, 1};
    for (int i = 0; i < 3; i++) {
        size_t n = i < 2 ? shorts[i] : need - 1;
        out = guarded(n);
        EXPECT(pcodes_totp_uri(s64, 64, issd, accd, PCODES_ALGORITHM_SHA512, 8, 3600, out, n),
               PCODES_STATUS_BUFFER_TOO_SMALL);
        CHECK(untouched(out, n));
        free(out);
    }
    out = guarded(need);
    EXPECT(pcodes_totp_uri(s64, 64, issd, accd, PCODES_ALGORITHM_SHA512, 8, 3600, out, need), PCODES_STATUS_OK);
    char *uri = hcopy(out);
    free(out);

    /* pcodes_totp_uri_parse: written only on success. */
    pcodes_totp_enrolment *e = guarded(sizeof *e);
    EXPECT(pcodes_totp_uri_parse(NULL, e), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_uri_parse(uri, NULL), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) EXPECT(pcodes_totp_uri_parse(BAD_UTF8[b], e), PCODES_STATUS_INVALID_ARGUMENT);
    static const char *const bad_uris[] = {
        "",
        "otpauth://",
        "otpauth://totp/",
        "otpauth://totp/a?secret=",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ", /* 10 bytes: fine ... */
        "otpauth://totp/a?secret=GEZDGNBV",         /* 5 bytes: too short */
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=9",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=0",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=MD5",
        "otpauth://hotp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "otpauth://totp/A:a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=B",
        "otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ%",
        "otpauth://totp/%ff?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "https://example.com/",
    };
    for (size_t i = 0; i < sizeof bad_uris / sizeof bad_uris[0]; i++) {
        pcodes_status rc = pcodes_totp_uri_parse(bad_uris[i], e);
        if (i == 4) {
            EXPECT(rc, PCODES_STATUS_OK);
            memset(e, SENTINEL, sizeof *e);
            continue;
        }
        if (rc != PCODES_STATUS_INVALID_ARGUMENT) printf("  (uri %s)\n", bad_uris[i]);
        EXPECT(rc, PCODES_STATUS_INVALID_ARGUMENT);
    }
    char *mburi = repeat('a', MB);
    memcpy(mburi, "otpauth://totp/", 15);
    EXPECT(pcodes_totp_uri_parse(mburi, e), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(e, sizeof *e));
    EXPECT(pcodes_totp_uri_parse(uri, e), PCODES_STATUS_OK);
    CHECK(e->is_hotp == 0 && e->algorithm == PCODES_ALGORITHM_SHA512 && e->digits == 8 && e->period == 3600 &&
          e->secret_len == 64 && memcmp(e->secret, s64, 64) == 0 && strcmp(e->issuer, issd) == 0 &&
          strcmp(e->account, accd) == 0);
    free(e);
    free(mburi);

    /* pcodes_totp_qr_svg */
    size_t ql = PCODES_TOTP_QR_SVG_BYTES;
    out = guarded(ql);
    EXPECT(pcodes_totp_qr_svg(NULL, out, ql), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_totp_qr_svg(uri, NULL, ql), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) EXPECT(pcodes_totp_qr_svg(BAD_UTF8[b], out, ql), PCODES_STATUS_INVALID_ARGUMENT);
    char *t1024 = repeat('q', PCODES_TOTP_URI_BYTES);
    EXPECT(pcodes_totp_qr_svg(t1024, out, ql), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_totp_qr_svg(mb, out, ql), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(out, ql));
    t1024[PCODES_TOTP_URI_BYTES - 1] = 0; /* 1023 bytes: the largest text, fits the largest buffer */
    EXPECT(pcodes_totp_qr_svg(t1024, out, ql), PCODES_STATUS_OK);
    CHECK(strncmp(out, "<svg", 4) == 0 || strncmp(out, "<?xml", 5) == 0);
    free(out);
    out = guarded(ql);
    EXPECT(pcodes_totp_qr_svg(uri, out, ql), PCODES_STATUS_OK);
    need = strlen(out) + 1;
    free(out);
    for (int i = 0; i < 3; i++) {
        size_t n = i < 2 ? shorts[i] : need - 1;
        out = guarded(n);
        EXPECT(pcodes_totp_qr_svg(uri, out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
        CHECK(untouched(out, n));
        free(out);
    }
    out = guarded(need);
    EXPECT(pcodes_totp_qr_svg(uri, out, need), PCODES_STATUS_OK);
    CHECK(strlen(out) == need - 1);
    free(out);
    EXPECT(pcodes_totp_qr_svg("", (out = guarded(ql)), ql), PCODES_STATUS_OK);
    free(out);
    free(t1024);
    free(uri);

    /* pcodes_base32_encode / pcodes_base32_decode */
    out = guarded(100);
    EXPECT(pcodes_base32_encode(NULL, 5, out, 100), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_base32_encode(NULL, 0, out, 100), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_base32_encode(SECRET, 20, NULL, 100), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(untouched(out, 100));
    free(out);
    for (size_t len = 0; len <= 20; len++) {
        size_t enc = (8 * len + 4) / 5; /* ceil(8 len / 5) */
        for (size_t n = 0; n <= enc; n++) {
            out = guarded(n);
            EXPECT(pcodes_base32_encode(SECRET, len, out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
            CHECK(untouched(out, n));
            free(out);
        }
        out = guarded(enc + 1);
        EXPECT(pcodes_base32_encode(SECRET, len, out, enc + 1), PCODES_STATUS_OK);
        CHECK(strlen(out) == enc);
        uint8_t *dec = guarded(len);
        size_t w = 777;
        for (size_t n = 0; n < len; n++) {
            EXPECT(pcodes_base32_decode(out, dec, n, &w), PCODES_STATUS_BUFFER_TOO_SMALL);
            CHECK(untouched(dec, len));
        }
        EXPECT(pcodes_base32_decode(out, dec, len, &w), PCODES_STATUS_OK);
        CHECK(w == len && memcmp(dec, SECRET, len) == 0);
        free(dec);
        free(out);
    }
    uint8_t *dec = guarded(64);
    size_t w = 777;
    EXPECT(pcodes_base32_decode(NULL, dec, 64, &w), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_base32_decode("GEZDGNBV", NULL, 64, &w), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_base32_decode("GEZDGNBV", dec, 64, NULL), PCODES_STATUS_NULL_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) EXPECT(pcodes_base32_decode(BAD_UTF8[b], dec, 64, &w), PCODES_STATUS_INVALID_ARGUMENT);
    static const char *const bad32[] = {"1", "GEZDGNB1", "A", "AAA", "AAAAAA", "GEZ=DGNBV", "GEZDGNBV\x01", "Ж"};
    for (size_t i = 0; i < sizeof bad32 / sizeof bad32[0]; i++) {
        pcodes_status rc = pcodes_base32_decode(bad32[i], dec, 64, &w);
        if (rc != PCODES_STATUS_INVALID_ARGUMENT) printf("  (base32 %s)\n", bad32[i]);
        EXPECT(rc, PCODES_STATUS_INVALID_ARGUMENT);
    }
    CHECK(untouched(dec, 64) && w == 777);
    char *mb32 = repeat('A', MB); /* 1 MB of 'A' = 655360 zero bytes */
    EXPECT(pcodes_base32_decode(mb32, dec, 64, &w), PCODES_STATUS_BUFFER_TOO_SMALL);
    CHECK(untouched(dec, 64));
    free(dec);
    dec = guarded(MB / 8 * 5);
    EXPECT(pcodes_base32_decode(mb32, dec, MB / 8 * 5, &w), PCODES_STATUS_OK);
    CHECK(w == MB / 8 * 5 && dec[0] == 0 && dec[w - 1] == 0);
    free(dec);
    free(mb32);
    free(mb);
    free(iss65);
    free(iss64);
    free(acc129);
    free(acc128);
}
