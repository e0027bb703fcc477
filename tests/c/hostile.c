/*
 * Hostile input through the C ABI: every exported function is called with NULL for each
 * pointer, zero-length and one-byte-short output buffers, invalid UTF-8, over-long (1 MB)
 * strings, state blobs of the wrong kind/version/length, and unknown enum values; each
 * returned status is checked against the contract (CONTRACT.md, include/portal_codes.h).
 *
 * Output buffers and long inputs live in heap blocks of exactly the size passed, so any
 * read or write outside them is caught when this runs under valgrind or AddressSanitizer
 * (tests/foreign.rs runs it plain, under valgrind and with -fsanitize=address,undefined).
 * Buffers that must stay untouched are filled with a sentinel byte and checked afterwards.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_codes.h"

static int passed, failed;

static void check(int ok, const char *what, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}
#define CHECK(cond) check((cond) ? 1 : 0, #cond, __LINE__)

/* The statuses that refuse a developer's argument: each comes with a detail naming it. */
static int developer_error(pcodes_status s) {
    return pcodes_status_class(s) == PCODES_CLASS_DEVELOPER_ERROR;
}

/* Checks a status and the developer detail the call left: "argument: why" after a developer
 * error, nothing after a verdict about a code or PIN. */
static void expect(pcodes_status got, pcodes_status want, const char *call, int line) {
    const char *detail = pcodes_last_error_detail();
    size_t name = strspn(detail, "abcdefghijklmnopqrstuvwxyz_");
    if (got != want) {
        failed++;
        printf("FAIL line %d: %s -> %s (%d), want %s\n", line, call, pcodes_status_name(got), (int)got,
               pcodes_status_name(want));
    } else if (developer_error(got) && (name == 0 || detail[name] != ':' || detail[name + 1] != ' ')) {
        failed++;
        printf("FAIL line %d: %s -> %s with the detail \"%s\", want \"argument: why\"\n", line, call,
               pcodes_status_name(got), detail);
    } else if (pcodes_status_class(got) == PCODES_CLASS_VERDICT && detail[0] != 0) {
        failed++;
        printf("FAIL line %d: %s -> %s with the detail \"%s\", want none\n", line, call, pcodes_status_name(got),
               detail);
    } else {
        passed++;
    }
}
#define EXPECT(call, want) expect((call), (want), #call, __LINE__)

#define SENTINEL 0xA5
#define NOW ((uint64_t)1750000000)
#define MB (1024 * 1024)

/* A heap buffer of exactly n bytes (at least 1 allocated so that n = 0 has a pointer), filled with
 * the sentinel. */
static void *guarded(size_t n) {
    unsigned char *p = malloc(n ? n : 1);
    if (!p) {
        perror("malloc");
        exit(2);
    }
    memset(p, SENTINEL, n ? n : 1);
    return p;
}
static int untouched(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < (n ? n : 1); i++)
        if (b[i] != SENTINEL) return 0;
    return 1;
}
/* A heap copy of s, exactly strlen(s) + 1 bytes. */
static char *hcopy(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) exit(2);
    memcpy(p, s, n);
    return p;
}
/* A heap string of n copies of c. */
static char *repeat(char c, size_t n) {
    char *p = malloc(n + 1);
    if (!p) exit(2);
    memset(p, c, n);
    p[n] = 0;
    return p;
}

/* Invalid UTF-8: lone continuation, 0xFF, overlong NUL, UTF-16 surrogate, truncated Cyrillic,
 * above U+10FFFF, and a valid prefix followed by garbage. */
static const char *const BAD_UTF8[] = {
    "\x80", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xd0", "\xf4\x90\x80\x80", "login\xfe",
};
#define N_BAD (sizeof BAD_UTF8 / sizeof BAD_UTF8[0])

static const uint8_t MASTER[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t SECRET[20] = "12345678901234567890"; /* RFC 4226/6238 test secret */

static pcodes_child ivan(void) {
    pcodes_child c = {"Иванов Иван Иванович", "2015-03-08", "M", "112-233-445 95"};
    return c;
}

/* ---- the library's own constants and accessors ---- */
static void test_accessors(void) {
    CHECK(pcodes_state_bytes() == PCODES_STATE_BYTES && PCODES_STATE_BYTES == 64);
    CHECK(pcodes_link_code_bytes() == PCODES_LINK_CODE_BYTES);
    CHECK(pcodes_otp_code_bytes() == PCODES_OTP_CODE_BYTES);
    CHECK(pcodes_totp_code_bytes() == PCODES_TOTP_CODE_BYTES);
    CHECK(pcodes_hotp_code_bytes() == PCODES_HOTP_CODE_BYTES && PCODES_HOTP_CODE_BYTES == PCODES_TOTP_CODE_BYTES);
    CHECK(pcodes_totp_uri_bytes() == PCODES_TOTP_URI_BYTES);
    CHECK(pcodes_totp_qr_svg_bytes() == PCODES_TOTP_QR_SVG_BYTES);
    CHECK(pcodes_totp_secret_bytes() == PCODES_TOTP_SECRET_BYTES);
    CHECK(pcodes_totp_secret_max_bytes() == PCODES_TOTP_SECRET_MAX_BYTES);
    CHECK(pcodes_now() > NOW);
    const char *v = pcodes_version();
    CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL);

    /* The developer detail names the refused argument, survives the describing calls, and is
       cleared by the next call. */
    uint8_t blob[PCODES_STATE_BYTES] = {0};
    uint64_t at = 0;
    CHECK(pcodes_state_retry_at(blob, PCODES_STATE_BYTES, 0, &at) == PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(strncmp(pcodes_last_error_detail(), "now: ", 5) == 0);
    (void)pcodes_status_message(PCODES_STATUS_INVALID_ARGUMENT, "ru");
    (void)pcodes_status_name(PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(strncmp(pcodes_last_error_detail(), "now: ", 5) == 0);
    CHECK(pcodes_state_retry_at(blob, 3, NOW, &at) == PCODES_STATUS_CORRUPT_STATE);
    CHECK(strncmp(pcodes_last_error_detail(), "state_len: ", 11) == 0);
    CHECK(pcodes_state_retry_at(blob, PCODES_STATE_BYTES, NOW, &at) == PCODES_STATUS_OK);
    CHECK(pcodes_last_error_detail() != NULL && pcodes_last_error_detail()[0] == 0);

    static const int32_t known[] = {
        PCODES_STATUS_OK,           PCODES_STATUS_NULL_ARGUMENT,    PCODES_STATUS_BUFFER_TOO_SMALL,
        PCODES_STATUS_INVALID_ARGUMENT, PCODES_STATUS_BAD_KEY,      PCODES_STATUS_UNKNOWN_KEY,
        PCODES_STATUS_CORRUPT_STATE, PCODES_STATUS_MISSING_FIELD,   PCODES_STATUS_INVALID_SNILS,
        PCODES_STATUS_INVALID_BIRTH_DATE, PCODES_STATUS_PIN_FORMAT, PCODES_STATUS_PIN_MISMATCH,
        PCODES_STATUS_PIN_WEAK,     PCODES_STATUS_MALFORMED_HASH,   PCODES_STATUS_MISTYPED,
        PCODES_STATUS_WRONG,        PCODES_STATUS_EXPIRED,          PCODES_STATUS_SUPERSEDED,
        PCODES_STATUS_ALREADY_USED, PCODES_STATUS_DATA_CHANGED,     PCODES_STATUS_LOCKED,
        PCODES_STATUS_BLOCKED,      PCODES_STATUS_TOO_SOON,         PCODES_STATUS_NO_CHALLENGE,
        PCODES_STATUS_ATTEMPTS_EXHAUSTED, PCODES_STATUS_INTERNAL,   PCODES_STATUS_RNG_FAILURE,
        PCODES_STATUS_PEPPER_FAILED, PCODES_STATUS_DEVICE_UNTRUSTED, PCODES_STATUS_DEVICE_REVOKED};
    /* The header's statuses are exactly the values the library names and classifies. */
    size_t named = 0;
    for (int32_t v = -1; v <= 1000; v++) {
        int is_named = strcmp(pcodes_status_name(v), "PCODES_STATUS_UNKNOWN") != 0;
        int32_t class = pcodes_status_class(v);
        CHECK(is_named == (class != PCODES_CLASS_UNKNOWN));
        CHECK(class == PCODES_CLASS_UNKNOWN || (class >= PCODES_CLASS_OK && class <= PCODES_CLASS_INTERNAL));
        named += (size_t)is_named;
    }
    CHECK(named == sizeof known / sizeof known[0]);
    CHECK(pcodes_status_class(PCODES_STATUS_OK) == PCODES_CLASS_OK);
    CHECK(pcodes_status_class(PCODES_STATUS_WRONG) == PCODES_CLASS_VERDICT);
    CHECK(pcodes_status_class(PCODES_STATUS_PIN_WEAK) == PCODES_CLASS_DATA_CHECK);
    CHECK(pcodes_status_class(PCODES_STATUS_INTERNAL) == PCODES_CLASS_INTERNAL);
    CHECK(pcodes_status_class(INT32_MIN) == PCODES_CLASS_UNKNOWN);
    CHECK(pcodes_status_class(INT32_MAX) == PCODES_CLASS_UNKNOWN);
    /* The describing calls keep the detail. */
    CHECK(pcodes_state_retry_at(blob, 3, NOW, &at) == PCODES_STATUS_CORRUPT_STATE);
    (void)pcodes_status_class(PCODES_STATUS_CORRUPT_STATE);
    (void)pcodes_setting_name(PCODES_SETTING_OTP_DIGITS);
    CHECK(strncmp(pcodes_last_error_detail(), "state_len: ", 11) == 0);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *n = pcodes_status_name(known[i]);
        CHECK(n != NULL && strncmp(n, "PCODES_STATUS_", 14) == 0 && strcmp(n, "PCODES_STATUS_UNKNOWN") != 0);
        const char *en = pcodes_status_message(known[i], "en");
        const char *ru = pcodes_status_message(known[i], "ru");
        CHECK(en != NULL && ru != NULL && en[0] != 0 && ru[0] != 0 && strcmp(en, ru) != 0);
        /* NULL, unknown, invalid UTF-8 and over-long languages all give English. */
        CHECK(pcodes_status_message(known[i], NULL) == en || strcmp(pcodes_status_message(known[i], NULL), en) == 0);
        CHECK(strcmp(pcodes_status_message(known[i], "xx"), en) == 0);
        CHECK(strcmp(pcodes_status_message(known[i], ""), en) == 0);
        for (size_t b = 0; b < N_BAD; b++) CHECK(strcmp(pcodes_status_message(known[i], BAD_UTF8[b]), en) == 0);
    }
    static const int32_t unknown[] = {-1, 1, 99, 106, 199, 211, 899, 903, 1000, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK(strcmp(pcodes_status_name(unknown[i]), "PCODES_STATUS_UNKNOWN") == 0);
        CHECK(pcodes_status_message(unknown[i], "ru") != NULL && pcodes_status_message(unknown[i], NULL) != NULL);
    }
    char *huge = repeat('r', MB);
    CHECK(strcmp(pcodes_status_message(206, huge), pcodes_status_message(206, "en")) == 0);
    free(huge);
}

/* ---- context ---- */
/* Every setting; its default and range come from the library (pcodes_setting_info). */
static const pcodes_setting SETTINGS[] = {
    PCODES_SETTING_LINK_TTL_SECONDS,    PCODES_SETTING_OTP_TTL_SECONDS,     PCODES_SETTING_OTP_DIGITS,
    PCODES_SETTING_OTP_MAX_ATTEMPTS,    PCODES_SETTING_OTP_RESEND_SECONDS,  PCODES_SETTING_OTP_MAX_SENDS_PER_HOUR,
    PCODES_SETTING_PIN_ITERATIONS,      PCODES_SETTING_PIN_LENGTHS,         PCODES_SETTING_LOCK_AFTER_FAILURES,
    PCODES_SETTING_LOCK_FIRST_SECONDS,  PCODES_SETTING_LOCK_REPEAT_SECONDS, PCODES_SETTING_BLOCK_AFTER_FAILURES,
    PCODES_SETTING_TOTP_WINDOW_STEPS,   PCODES_SETTING_HOTP_LOOK_AHEAD,     PCODES_SETTING_PIN_LANES,
    PCODES_SETTING_FAILURE_RESET_SECONDS, PCODES_SETTING_BUDGET_GUESSES,    PCODES_SETTING_BUDGET_DRAIN_SECONDS,
    PCODES_SETTING_DEVICE_TRUST_SECONDS,
};
#define N_SETTINGS (sizeof SETTINGS / sizeof SETTINGS[0])

static void test_setting_info(void) {
    uint64_t d = 7, lo = 7, hi = 7;
    size_t named = 0;
    for (int32_t id = -100; id <= 100; id++) {
        int known = strcmp(pcodes_setting_name(id), "PCODES_SETTING_UNKNOWN") != 0;
        named += (size_t)known;
        CHECK(strncmp(pcodes_setting_name(id), "PCODES_SETTING_", 15) == 0);
        if (!known) EXPECT(pcodes_setting_info(id, &d, &lo, &hi), PCODES_STATUS_INVALID_ARGUMENT);
    }
    CHECK(named == N_SETTINGS);
    CHECK(d == 7 && lo == 7 && hi == 7); /* nothing written on a refusal */
    CHECK(strcmp(pcodes_setting_name(PCODES_SETTING_OTP_DIGITS), "PCODES_SETTING_OTP_DIGITS") == 0);
    CHECK(strcmp(pcodes_setting_name(INT32_MIN), "PCODES_SETTING_UNKNOWN") == 0);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, NULL, &lo, &hi), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &d, NULL, &hi), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &d, &lo, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &d, &d, &hi), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &d, &lo, &lo), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_setting_info(INT32_MAX, &d, &lo, &hi), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_setting_info(PCODES_SETTING_OTP_DIGITS, &d, &lo, &hi), PCODES_STATUS_OK);
    CHECK(lo <= d && d <= hi);
}

/* Issue 20 §5: settings that emptied the guess limits are refused when the context is configured
 * (HOTP_LOOK_AHEAD = 1000 made 15 guesses worth ~1.5 %; BLOCK_AFTER_FAILURES = LOCK_AFTER_FAILURES
 * = 1000 took the block away), and the documented limits (docs/security.md: at most 20 guesses a
 * run, at most 21 codes a guess) hold at the largest values the library allows. */
static void test_settings_keep_the_guess_limits(void) {
    pcodes_ctx *c = NULL;
    EXPECT(pcodes_ctx_new(MASTER, 32, 0, &c), PCODES_STATUS_OK);
    if (!c) return;
    static const pcodes_setting emptying[] = {PCODES_SETTING_HOTP_LOOK_AHEAD, PCODES_SETTING_BLOCK_AFTER_FAILURES,
                                              PCODES_SETTING_LOCK_AFTER_FAILURES};
    for (size_t i = 0; i < sizeof emptying / sizeof emptying[0]; i++) {
        uint64_t before = 0, after = 1;
        EXPECT(pcodes_ctx_get(c, emptying[i], &before), PCODES_STATUS_OK);
        EXPECT(pcodes_ctx_set(c, emptying[i], 1000), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_ctx_set(c, emptying[i], 21), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_ctx_get(c, emptying[i], &after), PCODES_STATUS_OK);
        CHECK(after == before);
    }
    uint64_t d, lo, hi;
    EXPECT(pcodes_setting_info(PCODES_SETTING_BLOCK_AFTER_FAILURES, &d, &lo, &hi), PCODES_STATUS_OK);
    CHECK(hi == 20);
    EXPECT(pcodes_setting_info(PCODES_SETTING_LOCK_AFTER_FAILURES, &d, &lo, &hi), PCODES_STATUS_OK);
    CHECK(hi <= 20);
    EXPECT(pcodes_setting_info(PCODES_SETTING_TOTP_WINDOW_STEPS, &d, &lo, &hi), PCODES_STATUS_OK);
    CHECK(2 * hi + 1 <= 21);
    EXPECT(pcodes_setting_info(PCODES_SETTING_HOTP_LOOK_AHEAD, &d, &lo, &hi), PCODES_STATUS_OK);
    CHECK(hi + 1 <= 21);
    if (hi > 20) hi = 20; /* codes[] below holds 21 (a library with a wider range has failed already) */
    /* At the largest look-ahead a fresh HOTP blob accepts counter `hi` and nothing past counter 20. */
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_HOTP_LOOK_AHEAD, hi), PCODES_STATUS_OK);
    char code[PCODES_HOTP_CODE_BYTES], codes[21][PCODES_HOTP_CODE_BYTES];
    for (uint64_t k = 0; k < 21; k++)
        EXPECT(pcodes_hotp_code(SECRET, 20, PCODES_ALGORITHM_SHA1, 6, k, codes[k], sizeof codes[k]), PCODES_STATUS_OK);
    uint8_t st[64] = {0};
    EXPECT(pcodes_hotp_verify(c, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, codes[hi], NOW, st, sizeof st), PCODES_STATUS_OK);
    int beyond = 0;
    for (uint64_t k = 21; k < 60; k++) {
        EXPECT(pcodes_hotp_code(SECRET, 20, PCODES_ALGORITHM_SHA1, 6, k, code, sizeof code), PCODES_STATUS_OK);
        int in_window = 0;
        for (int j = 0; j < 21; j++) in_window |= strcmp(code, codes[j]) == 0;
        if (in_window) continue;
        memset(st, 0, sizeof st);
        EXPECT(pcodes_hotp_verify(c, SECRET, 20, PCODES_ALGORITHM_SHA1, 6, code, NOW, st, sizeof st), PCODES_STATUS_WRONG);
        beyond++;
    }
    CHECK(beyond > 30);
    pcodes_ctx_free(c);
}

static void test_ctx(void) {
    uint8_t key64[64];
    memset(key64, 7, sizeof key64);
    pcodes_ctx *c = (pcodes_ctx *)&c; /* a non-NULL sentinel: must become NULL on failure */
    EXPECT(pcodes_ctx_new(NULL, 32, 0, &c), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(c == NULL);
    c = (pcodes_ctx *)&c;
    EXPECT(pcodes_ctx_new(NULL, 0, 0, &c), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(c == NULL);
    EXPECT(pcodes_ctx_new(MASTER, 32, 0, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_ctx_new(NULL, 32, 0, NULL), PCODES_STATUS_NULL_ARGUMENT);
    static const size_t bad_len[] = {0, 1, 31, 65, 1000};
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        uint8_t *k = guarded(bad_len[i]);
        c = (pcodes_ctx *)&c;
        EXPECT(pcodes_ctx_new(k, bad_len[i], 0, &c), PCODES_STATUS_BAD_KEY);
        CHECK(c == NULL);
        free(k);
    }
    static const uint32_t bad_id[] = {16, 255, 256, 65536, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad_id / sizeof bad_id[0]; i++) {
        c = (pcodes_ctx *)&c;
        EXPECT(pcodes_ctx_new(MASTER, 32, bad_id[i], &c), PCODES_STATUS_BAD_KEY);
        CHECK(c == NULL);
    }
    uint8_t *k64 = guarded(64);
    memcpy(k64, key64, 64);
    EXPECT(pcodes_ctx_new(k64, 64, 15, &c), PCODES_STATUS_OK);
    CHECK(c != NULL);
    pcodes_ctx_free(c);
    free(k64);

    EXPECT(pcodes_ctx_new(MASTER, 32, 3, &c), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_add_key(NULL, MASTER, 32, 1), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_ctx_add_key(c, NULL, 32, 1), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_ctx_add_key(c, key64, 31, 1), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_ctx_add_key(c, key64, 65, 1), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_ctx_add_key(c, key64, 0, 1), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_ctx_add_key(c, key64, 32, 16), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_ctx_add_key(c, key64, 32, UINT32_MAX), PCODES_STATUS_BAD_KEY);
    EXPECT(pcodes_ctx_add_key(c, key64, 32, 3), PCODES_STATUS_INVALID_ARGUMENT); /* id taken */
    EXPECT(pcodes_ctx_add_key(c, key64, 64, 1), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_add_key(c, key64, 64, 1), PCODES_STATUS_INVALID_ARGUMENT);

    uint64_t v = 0xDEADBEEF;
    static const pcodes_setting bad_setting[] = {0, 20, 21, 100, -1, -14, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad_setting / sizeof bad_setting[0]; i++) {
        EXPECT(pcodes_ctx_set(c, bad_setting[i], 1), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_ctx_set(c, bad_setting[i], 0), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_ctx_get(c, bad_setting[i], &v), PCODES_STATUS_INVALID_ARGUMENT);
        CHECK(v == 0xDEADBEEF);
    }
    EXPECT(pcodes_ctx_set(NULL, PCODES_SETTING_OTP_DIGITS, 6), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_ctx_get(NULL, PCODES_SETTING_OTP_DIGITS, &v), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_ctx_get(c, PCODES_SETTING_OTP_DIGITS, NULL), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(v == 0xDEADBEEF);

    for (size_t i = 0; i < N_SETTINGS; i++) {
        struct {
            uint64_t lo, hi, def;
            pcodes_setting s;
        } rr, *r = &rr;
        rr.s = SETTINGS[i];
        EXPECT(pcodes_setting_info(rr.s, &rr.def, &rr.lo, &rr.hi), PCODES_STATUS_OK);
        CHECK(rr.lo <= rr.def && rr.def <= rr.hi);
        EXPECT(pcodes_ctx_get(c, r->s, &v), PCODES_STATUS_OK);
        CHECK(v == r->def);
        uint64_t bad[] = {r->hi + 1, UINT64_MAX, (uint64_t)1 << 32 | r->lo, (uint64_t)1 << 63 | r->hi,
                          r->lo > 0 ? r->lo - 1 : r->hi + 2};
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            EXPECT(pcodes_ctx_set(c, r->s, bad[b]), PCODES_STATUS_INVALID_ARGUMENT);
            EXPECT(pcodes_ctx_get(c, r->s, &v), PCODES_STATUS_OK);
            CHECK(v == r->def); /* nothing changed */
        }
        EXPECT(pcodes_ctx_set(c, r->s, r->lo), PCODES_STATUS_OK);
        EXPECT(pcodes_ctx_get(c, r->s, &v), PCODES_STATUS_OK);
        CHECK(v == r->lo);
        EXPECT(pcodes_ctx_set(c, r->s, r->hi), PCODES_STATUS_OK);
        EXPECT(pcodes_ctx_get(c, r->s, &v), PCODES_STATUS_OK);
        CHECK(v == r->hi);
        EXPECT(pcodes_ctx_set(c, r->s, r->def), PCODES_STATUS_OK);
    }
    static const uint64_t bad_lengths[] = {0, 1, 0x20, 0x30, 0x60, 0x150, 0xFFFF, (uint64_t)1 << 32 | 0x50, UINT64_MAX};
    for (size_t b = 0; b < sizeof bad_lengths / sizeof bad_lengths[0]; b++) {
        EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_LENGTHS, bad_lengths[b]), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_ctx_get(c, PCODES_SETTING_PIN_LENGTHS, &v), PCODES_STATUS_OK);
        CHECK(v == 0x50);
    }
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_LENGTHS, 0x10), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_LENGTHS, 0x40), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(c, PCODES_SETTING_PIN_LENGTHS, 0x50), PCODES_STATUS_OK);
    pcodes_ctx_free(c);
    pcodes_ctx_free(NULL);
}

/* ---- state blobs ---- */

/* Valid blobs of each kind, made through the library. */
static uint8_t LINK_ST[64], OTP_ST[64], TOTP_ST[64], HOTP_ST[64], PIN_ST[64], REC_ST[64];
#define N_KINDS 6
static const uint8_t *const KIND_ST[N_KINDS] = {LINK_ST, OTP_ST, TOTP_ST, HOTP_ST, PIN_ST, REC_ST};
enum { K_LINK, K_OTP, K_TOTP, K_HOTP, K_PIN, K_REC };
/* The recovery set of account "acc-1" in REC_ST: its stored string and codes. */
static char REC_STORED[PCODES_RECOVERY_STORED_BYTES];
static char REC_CODES[4 * PCODES_RECOVERY_CODE_BYTES];
static char PIN_HASH[PCODES_PIN_HASH_BYTES]; /* "583196" for account "acc-1" */

static void make_states(const pcodes_ctx *ctx) {
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

static void test_states(const pcodes_ctx *ctx) {
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

/* ---- link codes ---- */
/* Strings of every length 0-48 in heap blocks of exactly strlen + 1 bytes: the UTF-8 check reads
 * a string and its NUL and nothing after it (valgrind reports any read past the block), and
 * decides as UTF-8 does at every length (its vector path starts at 16 bytes). */
static void test_text_lengths(void) {
    uint32_t missing = 99;
    uint64_t id = 0;
    for (size_t n = 0; n <= 48; n++) {
        /* "ЖЖЖ…" cut at n bytes: valid exactly when n is even. */
        char *name = malloc(n + 1);
        if (!name) exit(2);
        for (size_t i = 0; i < n; i++) name[i] = (char)(i % 2 ? 0x96 : 0xD0);
        name[n] = 0;
        pcodes_child ch = ivan();
        ch.full_name = name;
        pcodes_status want = n == 0 ? PCODES_STATUS_MISSING_FIELD
                           : n % 2  ? PCODES_STATUS_INVALID_ARGUMENT
                                    : PCODES_STATUS_OK;
        EXPECT(pcodes_child_check(&ch, &missing), want);
        if (n > 0) {
            name[n - 1] = (char)0xFF; /* an invalid byte last */
            EXPECT(pcodes_child_check(&ch, &missing), PCODES_STATUS_INVALID_ARGUMENT);
        }
        free(name);
        char *code = repeat('7', n);
        EXPECT(pcodes_link_parse(code, &id), PCODES_STATUS_MISTYPED);
        free(code);
    }
}

static void test_link(const pcodes_ctx *ctx) {
    pcodes_child ch = ivan();
    uint32_t missing = 99;
    EXPECT(pcodes_child_check(NULL, &missing), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_child_check(&ch, NULL), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_child_check(&ch, &missing), PCODES_STATUS_OK);
    CHECK(missing == 0);
    pcodes_child none = {NULL, NULL, NULL, NULL};
    EXPECT(pcodes_child_check(&none, &missing), PCODES_STATUS_MISSING_FIELD);
    CHECK(missing == 15);
    pcodes_child blank = {"", " \t ", "", "   "};
    EXPECT(pcodes_child_check(&blank, &missing), PCODES_STATUS_MISSING_FIELD);
    CHECK(missing == 15);
    for (size_t b = 0; b < N_BAD; b++) {
        for (int f = 0; f < 4; f++) {
            pcodes_child bad = ivan();
            const char **field[] = {&bad.full_name, &bad.birth_date, &bad.sex, &bad.snils};
            *field[f] = BAD_UTF8[b];
            EXPECT(pcodes_child_check(&bad, &missing), PCODES_STATUS_INVALID_ARGUMENT);
            uint8_t st[64] = {0};
            char *out = guarded(PCODES_LINK_CODE_BYTES);
            EXPECT(pcodes_link_issue(ctx, 1, &bad, NOW, st, 64, out, PCODES_LINK_CODE_BYTES),
                   PCODES_STATUS_INVALID_ARGUMENT);
            CHECK(untouched(out, PCODES_LINK_CODE_BYTES));
            for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
            free(out);
            memcpy(st, LINK_ST, 64);
            EXPECT(pcodes_link_redeem(ctx, "00000-00000-00000-00000-00000", &bad, NOW, st, 64),
                   PCODES_STATUS_INVALID_ARGUMENT);
            CHECK(memcmp(st, LINK_ST, 64) == 0);
        }
    }

    /* Issue: NULLs, short buffers (checked first: state and buffer untouched). */
    uint8_t st[64] = {0};
    char *out = guarded(PCODES_LINK_CODE_BYTES);
    EXPECT(pcodes_link_issue(NULL, 1, &ch, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_issue(ctx, 1, NULL, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_issue(ctx, 1, &ch, NOW, NULL, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_issue(ctx, 1, &ch, NOW, st, 64, NULL, PCODES_LINK_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(untouched(out, PCODES_LINK_CODE_BYTES));
    free(out);
    static const size_t short_lens[] = {0, 1, PCODES_LINK_CODE_BYTES - 1};
    for (size_t i = 0; i < 3; i++) {
        out = guarded(short_lens[i]);
        memcpy(st, LINK_ST, 64);
        EXPECT(pcodes_link_issue(ctx, 42, &ch, NOW + 1, st, 64, out, short_lens[i]), PCODES_STATUS_BUFFER_TOO_SMALL);
        CHECK(untouched(out, short_lens[i]));
        CHECK(memcmp(st, LINK_ST, 64) == 0);
        free(out);
    }
    /* Out-of-range arguments: state untouched, no code written. */
    struct {
        uint64_t id, now;
        pcodes_child c;
        pcodes_status want;
    } cases[] = {
        {(uint64_t)1 << 40, NOW, ivan(), PCODES_STATUS_INVALID_ARGUMENT},
        {UINT64_MAX, NOW, ivan(), PCODES_STATUS_INVALID_ARGUMENT},
        {1, 0, ivan(), PCODES_STATUS_INVALID_ARGUMENT},
        {1, UINT64_MAX, ivan(), PCODES_STATUS_INVALID_ARGUMENT},
        {1, NOW, {"Иванов Иван", "2015-03-08", "X", "11223344595"}, PCODES_STATUS_INVALID_ARGUMENT},
        {1, NOW, {"Иванов Иван", "2015-02-30", "M", "11223344595"}, PCODES_STATUS_INVALID_BIRTH_DATE},
        {1, NOW, {"Иванов Иван", "2099-01-01", "M", "11223344595"}, PCODES_STATUS_INVALID_BIRTH_DATE},
        {1, NOW, {"Иванов Иван", "2015-03-08", "M", "11223344596"}, PCODES_STATUS_INVALID_SNILS},
        {1, NOW, {"Иванов Иван", "2015-03-08", "M", "1122334459"}, PCODES_STATUS_INVALID_SNILS},
        {1, NOW, {"Иванов Иван", "2015-03-08", "M", NULL}, PCODES_STATUS_MISSING_FIELD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(st, 0, 64);
        out = guarded(PCODES_LINK_CODE_BYTES);
        pcodes_status rc = pcodes_link_issue(ctx, cases[i].id, &cases[i].c, cases[i].now, st, 64, out,
                                             PCODES_LINK_CODE_BYTES);
        if (rc != cases[i].want) printf("  (link_issue case %zu)\n", i);
        EXPECT(rc, cases[i].want);
        CHECK(untouched(out, PCODES_LINK_CODE_BYTES));
        /* Nothing recorded: the fresh blob stays all zeros (the one encoding of a fresh state). */
        int fresh = 1;
        for (int j = 0; j < 64; j++) fresh &= st[j] == 0;
        if (!fresh) printf("  (link_issue case %zu wrote state)\n", i);
        CHECK(fresh);
        free(out);
    }
    /* Over-long fields: a 1 MB name is a name (hashed, never copied); 1 MB date/sex/SNILS are invalid. */
    char *huge = repeat('z', MB);
    pcodes_child hc = ivan();
    hc.full_name = huge;
    out = guarded(PCODES_LINK_CODE_BYTES);
    memset(st, 0, 64);
    EXPECT(pcodes_link_issue(ctx, 7, &hc, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_OK);
    CHECK(strlen(out) == PCODES_LINK_CODE_BYTES - 1);
    EXPECT(pcodes_link_redeem(ctx, out, &hc, NOW + 1, st, 64), PCODES_STATUS_OK);
    free(out);
    hc = ivan();
    hc.birth_date = huge;
    memset(st, 0, 64);
    out = guarded(PCODES_LINK_CODE_BYTES);
    EXPECT(pcodes_link_issue(ctx, 7, &hc, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_INVALID_BIRTH_DATE);
    hc = ivan();
    hc.sex = huge;
    EXPECT(pcodes_link_issue(ctx, 7, &hc, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_INVALID_ARGUMENT);
    hc = ivan();
    hc.snils = huge;
    EXPECT(pcodes_link_issue(ctx, 7, &hc, NOW, st, 64, out, PCODES_LINK_CODE_BYTES), PCODES_STATUS_INVALID_SNILS);
    CHECK(untouched(out, PCODES_LINK_CODE_BYTES));
    free(out);

    /* Parse: NULLs, bad UTF-8, empty, over-long; the out value only on success. */
    char code[PCODES_LINK_CODE_BYTES];
    memcpy(st, LINK_ST, 64);
    EXPECT(pcodes_link_issue(ctx, 42, &ch, NOW, st, 64, code, sizeof code), PCODES_STATUS_OK);
    uint64_t id = 5;
    EXPECT(pcodes_link_parse(NULL, &id), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_parse(code, NULL), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(id == 5);
    for (size_t b = 0; b < N_BAD; b++) EXPECT(pcodes_link_parse(BAD_UTF8[b], &id), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_link_parse("", &id), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_link_parse(huge, &id), PCODES_STATUS_MISTYPED);
    char *longcode = repeat('-', MB);
    memcpy(longcode, code, strlen(code)); /* a valid code followed by a megabyte of hyphens */
    EXPECT(pcodes_link_parse(longcode, &id), PCODES_STATUS_OK);
    CHECK(id == 42);
    id = 5;
    char *h = hcopy(code);
    h[strlen(h) - 1] = h[strlen(h) - 1] == 'A' ? 'B' : 'A'; /* break the check symbol */
    EXPECT(pcodes_link_parse(h, &id), PCODES_STATUS_MISTYPED);
    CHECK(id == 5);
    EXPECT(pcodes_link_parse(code, &id), PCODES_STATUS_OK);
    CHECK(id == 42);

    /* Redeem: NULLs leave the state alone; typos are not counted. */
    uint8_t before[64];
    memcpy(before, st, 64);
    EXPECT(pcodes_link_redeem(NULL, code, &ch, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_redeem(ctx, NULL, &ch, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_redeem(ctx, code, NULL, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_link_redeem(ctx, code, &ch, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(before, st, 64) == 0);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_link_redeem(ctx, BAD_UTF8[b], &ch, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
    EXPECT(pcodes_link_redeem(ctx, "", &ch, NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_link_redeem(ctx, huge, &ch, NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_link_redeem(ctx, h, &ch, NOW, st, 64), PCODES_STATUS_MISTYPED);
    uint64_t at = 1;
    EXPECT(pcodes_state_retry_at(st, 64, NOW, &at), PCODES_STATUS_OK);
    CHECK(at == 0); /* none of the above counted */
    EXPECT(pcodes_link_redeem(ctx, longcode, &ch, NOW + 1, st, 64), PCODES_STATUS_OK);
    EXPECT(pcodes_link_redeem(ctx, code, &ch, NOW + 2, st, 64), PCODES_STATUS_ALREADY_USED);
    free(h);
    free(longcode);
    free(huge);
}

/* Issue 22 §3: forged codes for a record id (well-formed codes whose tag does not verify: here a
 * sibling's genuine codes for the same record, issued on a scratch blob) lock and block forged
 * codes only. The parent who holds the real code redeems it on the locked, and on the blocked
 * record (a new issue does not clear the block); the lockout stays as the forgers left it. */
static void test_link_forged_codes_do_not_block(const pcodes_ctx *ctx) {
    pcodes_child ch = ivan();
    pcodes_child sibling = {"Иванов Пётр Иванович", "2017-01-01", "M", "087-654-303 00"};
    uint8_t st[64] = {0}, scratch[64], before[64];
    char code[PCODES_LINK_CODE_BYTES], forged[PCODES_LINK_CODE_BYTES];
    uint64_t now = NOW, at = 0;
    EXPECT(pcodes_link_issue(ctx, 77, &ch, now, st, 64, code, sizeof code), PCODES_STATUS_OK);
    for (int i = 1; i <= 15; i++) {
        memset(scratch, 0, 64);
        EXPECT(pcodes_link_issue(ctx, 77, &sibling, now, scratch, 64, forged, sizeof forged), PCODES_STATUS_OK);
        EXPECT(pcodes_link_redeem(ctx, forged, &ch, ++now, st, 64), PCODES_STATUS_WRONG);
        if (i == 5) {
            /* Locked: forged codes are refused, the real one redeems, the lock stays. */
            EXPECT(pcodes_link_redeem(ctx, forged, &ch, now, st, 64), PCODES_STATUS_LOCKED);
            EXPECT(pcodes_link_redeem(ctx, "not a code", &ch, now, st, 64), PCODES_STATUS_LOCKED);
            EXPECT(pcodes_state_retry_at(st, 64, now, &at), PCODES_STATUS_OK);
            CHECK(at == now + 900);
            memcpy(before, st, 64);
            EXPECT(pcodes_link_redeem(ctx, code, &ch, now, st, 64), PCODES_STATUS_OK);
            CHECK(memcmp(before, st, 24) == 0); /* the lockout header (bytes 0..24) as it was */
            EXPECT(pcodes_link_redeem(ctx, code, &ch, now, st, 64), PCODES_STATUS_ALREADY_USED);
        }
        if (i == 5 || i == 10) EXPECT(pcodes_state_retry_at(st, 64, now, &now), PCODES_STATUS_OK);
    }
    EXPECT(pcodes_link_redeem(ctx, forged, &ch, now, st, 64), PCODES_STATUS_BLOCKED);
    /* A new code: the block stays, and the real code redeems on the blocked record. */
    EXPECT(pcodes_link_issue(ctx, 77, &ch, now + 60, st, 64, code, sizeof code), PCODES_STATUS_OK);
    EXPECT(pcodes_link_redeem(ctx, forged, &ch, now + 61, st, 64), PCODES_STATUS_BLOCKED);
    memcpy(before, st, 64);
    EXPECT(pcodes_link_redeem(ctx, code, &ch, now + 62, st, 64), PCODES_STATUS_OK);
    CHECK(memcmp(before, st, 24) == 0);
    EXPECT(pcodes_state_retry_at(st, 64, now + 62, &at), PCODES_STATUS_OK);
    CHECK(at == UINT64_MAX);
    EXPECT(pcodes_link_redeem(ctx, code, &ch, now + 63, st, 64), PCODES_STATUS_ALREADY_USED);
    EXPECT(pcodes_link_redeem(ctx, forged, &ch, now + 63, st, 64), PCODES_STATUS_BLOCKED);
}

/* A new context under MASTER (id 0) with one setting changed: a used context is configured no
 * more (pcodes_ctx_set is then INVALID_ARGUMENT), so a different setting takes a new context. */
static pcodes_ctx *ctx_with(pcodes_setting s, uint64_t v) {
    pcodes_ctx *c = NULL;
    EXPECT(pcodes_ctx_new(MASTER, 32, 0, &c), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(c, s, v), PCODES_STATUS_OK);
    return c;
}

/* ---- SMS / e-mail codes ---- */
static void test_otp(pcodes_ctx *ctx) {
    uint8_t st[64] = {0};
    char *out = guarded(PCODES_OTP_CODE_BYTES);
    EXPECT(pcodes_otp_issue(NULL, "login", NOW, st, 64, out, PCODES_OTP_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_issue(ctx, NULL, NOW, st, 64, out, PCODES_OTP_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, NULL, 64, out, PCODES_OTP_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, st, 64, NULL, PCODES_OTP_CODE_BYTES), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_issue(ctx, "", NOW, st, 64, out, PCODES_OTP_CODE_BYTES), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++)
        EXPECT(pcodes_otp_issue(ctx, BAD_UTF8[b], NOW, st, 64, out, PCODES_OTP_CODE_BYTES),
               PCODES_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(out, PCODES_OTP_CODE_BYTES));
    for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
    free(out);
    /* Short buffers for every code length: digits + 1 is needed; nothing issued otherwise. */
    EXPECT(pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8), PCODES_STATUS_INVALID_ARGUMENT); /* used */
    for (uint64_t d = 4; d <= 8; d++) {
        pcodes_ctx *cd = ctx_with(PCODES_SETTING_OTP_DIGITS, d);
        for (size_t n = 0; n <= d; n++) {
            out = guarded(n);
            EXPECT(pcodes_otp_issue(cd, "login", NOW, st, 64, out, n), PCODES_STATUS_BUFFER_TOO_SMALL);
            CHECK(untouched(out, n));
            free(out);
        }
        for (int i = 0; i < 64; i++) CHECK(st[i] == 0);
        out = guarded(d + 1);
        EXPECT(pcodes_otp_issue(cd, "login", NOW, st, 64, out, d + 1), PCODES_STATUS_OK);
        CHECK(strlen(out) == d);
        EXPECT(pcodes_otp_verify(cd, "login", out, NOW + 1, st, 64), PCODES_STATUS_OK);
        free(out);
        memset(st, 0, 64);
        pcodes_ctx_free(cd);
    }

    /* Verify: NULLs, bad UTF-8, over-long input; nothing outstanding. */
    char code[PCODES_OTP_CODE_BYTES];
    EXPECT(pcodes_otp_verify(ctx, "login", "123456", NOW, st, 64), PCODES_STATUS_NO_CHALLENGE);
    char *huge_purpose = repeat('p', MB);
    EXPECT(pcodes_otp_issue(ctx, huge_purpose, NOW, st, 64, code, sizeof code), PCODES_STATUS_OK);
    EXPECT(pcodes_otp_verify(ctx, "login", code, NOW + 1, st, 64), PCODES_STATUS_WRONG);
    EXPECT(pcodes_otp_verify(ctx, huge_purpose, code, NOW + 2, st, 64), PCODES_STATUS_OK);
    memset(st, 0, 64);
    EXPECT(pcodes_otp_issue(ctx, "login", NOW, st, 64, code, sizeof code), PCODES_STATUS_OK);
    uint8_t before[64];
    memcpy(before, st, 64);
    EXPECT(pcodes_otp_verify(NULL, "login", code, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_verify(ctx, NULL, code, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_verify(ctx, "login", NULL, NOW, st, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_verify(ctx, "login", code, NOW, NULL, 64), PCODES_STATUS_NULL_ARGUMENT);
    EXPECT(pcodes_otp_verify(ctx, "", code, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
    for (size_t b = 0; b < N_BAD; b++) {
        EXPECT(pcodes_otp_verify(ctx, BAD_UTF8[b], code, NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
        EXPECT(pcodes_otp_verify(ctx, "login", BAD_UTF8[b], NOW, st, 64), PCODES_STATUS_INVALID_ARGUMENT);
    }
    CHECK(memcmp(before, st, 64) == 0);
    char *huge_code = repeat('1', MB);
    char *huge_spaces = repeat(' ', MB);
    memcpy(huge_spaces + MB / 2, code, strlen(code)); /* the right code inside a megabyte of spaces */
    EXPECT(pcodes_otp_verify(ctx, "login", huge_code, NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_otp_verify(ctx, "login", "", NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_otp_verify(ctx, "login", "12345", NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_otp_verify(ctx, "login", "1234567", NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_otp_verify(ctx, "login", "12345a", NOW, st, 64), PCODES_STATUS_MISTYPED);
    EXPECT(pcodes_otp_verify(ctx, "login", "١٢٣٤٥٦", NOW, st, 64), PCODES_STATUS_MISTYPED); /* Arabic digits */
    EXPECT(pcodes_otp_verify(ctx, "login", huge_spaces, NOW + 1, st, 64), PCODES_STATUS_OK);
    free(huge_code);
    free(huge_spaces);
    free(huge_purpose);
}

/* ---- HOTP / TOTP / base32 ---- */
static const pcodes_algorithm BAD_ALG[] = {0, 4, 5, -1, 255, INT32_MIN, INT32_MAX};
#define N_BAD_ALG (sizeof BAD_ALG / sizeof BAD_ALG[0])
static const uint32_t BAD_DIGITS[] = {0, 1, 5, 9, 10, UINT32_MAX};
#define N_BAD_DIGITS (sizeof BAD_DIGITS / sizeof BAD_DIGITS[0])
static const uint32_t BAD_PERIOD[] = {0, 3601, UINT32_MAX};
#define N_BAD_PERIOD (sizeof BAD_PERIOD / sizeof BAD_PERIOD[0])
static const size_t BAD_SECRET_LEN[] = {0, 1, 9, 65, 1000};
#define N_BAD_SECRET_LEN (sizeof BAD_SECRET_LEN / sizeof BAD_SECRET_LEN[0])

static void test_totp(const pcodes_ctx *ctx) {
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

/* ---- PINs ---- */
static void test_pin(pcodes_ctx *ctx) {
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

static void test_pepper(void) {
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
static void test_pin_generate(pcodes_ctx *ctx) {
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

/* ---- Recovery codes (pcodes_recovery_*) ---- */
static void test_recovery(pcodes_ctx *ctx) {
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
static void test_device(pcodes_ctx *ctx) {
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
static void test_device_lanes(pcodes_ctx *ctx) {
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

int main(void) {
    test_accessors();
    test_setting_info();
    test_settings_keep_the_guess_limits();
    test_ctx();
    pcodes_ctx *ctx = NULL;
    EXPECT(pcodes_ctx_new(MASTER, 32, 0, &ctx), PCODES_STATUS_OK);
    if (!ctx) return 1;
    /* The PBKDF2 floor, so that the PIN checks stay quick under valgrind. */
    EXPECT(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10000), PCODES_STATUS_OK);
    make_states(ctx);
    test_states(ctx);
    test_text_lengths();
    test_link(ctx);
    test_link_forged_codes_do_not_block(ctx);
    test_otp(ctx);
    test_totp(ctx);
    test_pin(ctx);
    test_pepper();
    test_pin_generate(ctx);
    test_recovery(ctx);
    test_device(ctx);
    test_device_lanes(ctx);
    pcodes_ctx_free(ctx);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
