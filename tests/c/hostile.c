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
 * The program is split by concern: this file (the harness, the library's constants and
 * accessors, the context, main), hostile_states.c (state blobs), hostile_link.c (link codes,
 * SMS/e-mail codes), hostile_totp.c (HOTP/TOTP/base32), hostile_pin.c (PINs, the external
 * pepper, generated PINs) and hostile_device.c (recovery codes, device trust and its trusted
 * lane), sharing hostile.h; tests/foreign.rs compiles them together.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */

#include "hostile.h"

int passed, failed;

/* The file name of a __FILE__, for FAIL lines. */
static const char *base(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

void check(int ok, const char *what, const char *file, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: %s\n", base(file), line, what);
    }
}

/* The statuses that refuse a developer's argument: each comes with a detail naming it. */
int developer_error(pcodes_status s) {
    return pcodes_status_class(s) == PCODES_CLASS_DEVELOPER_ERROR;
}

/* Checks a status and the developer detail the call left: "argument: why" after a developer
 * error, nothing after a verdict about a code or PIN. */
void expect(pcodes_status got, pcodes_status want, const char *call, const char *file, int line) {
    const char *detail = pcodes_last_error_detail();
    size_t name = strspn(detail, "abcdefghijklmnopqrstuvwxyz_");
    if (got != want) {
        failed++;
        printf("FAIL %s:%d: %s -> %s (%d), want %s\n", base(file), line, call, pcodes_status_name(got), (int)got,
               pcodes_status_name(want));
    } else if (developer_error(got) && (name == 0 || detail[name] != ':' || detail[name + 1] != ' ')) {
        failed++;
        printf("FAIL %s:%d: %s -> %s with the detail \"%s\", want \"argument: why\"\n", base(file), line, call,
               pcodes_status_name(got), detail);
    } else if (pcodes_status_class(got) == PCODES_CLASS_VERDICT && detail[0] != 0) {
        failed++;
        printf("FAIL %s:%d: %s -> %s with the detail \"%s\", want none\n", base(file), line, call, pcodes_status_name(got),
               detail);
    } else {
        passed++;
    }
}
/* A heap buffer of exactly n bytes (at least 1 allocated so that n = 0 has a pointer), filled with
 * the sentinel. */
void *guarded(size_t n) {
    unsigned char *p = malloc(n ? n : 1);
    if (!p) {
        perror("malloc");
        exit(2);
    }
    memset(p, SENTINEL, n ? n : 1);
    return p;
}
int untouched(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < (n ? n : 1); i++)
        if (b[i] != SENTINEL) return 0;
    return 1;
}
/* A heap copy of s, exactly strlen(s) + 1 bytes. */
char *hcopy(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) exit(2);
    memcpy(p, s, n);
    return p;
}
/* A heap string of n copies of c. */
char *repeat(char c, size_t n) {
    char *p = malloc(n + 1);
    if (!p) exit(2);
    memset(p, c, n);
    p[n] = 0;
    return p;
}

/* Invalid UTF-8: lone continuation, 0xFF, overlong NUL, UTF-16 surrogate, truncated Cyrillic,
 * above U+10FFFF, and a valid prefix followed by garbage. */
const char *const BAD_UTF8[N_BAD] = {
    "\x80", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xd0", "\xf4\x90\x80\x80", "login\xfe",
};

const uint8_t MASTER[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
const uint8_t SECRET[20] = "12345678901234567890"; /* RFC 4226/6238 test secret */

pcodes_child ivan(void) {
    pcodes_child c = {"Иванов Иван Иванович", "2015-03-08", "M", "112-233-445 95"};
    return c;
}

/* ---- the library's own constants and accessors ---- */
void test_accessors(void) {
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

void test_setting_info(void) {
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
void test_settings_keep_the_guess_limits(void) {
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

void test_ctx(void) {
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
