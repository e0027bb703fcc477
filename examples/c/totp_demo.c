/*
 * Authenticator apps from C: enrol (secret, otpauth URI, SVG QR code written to a file), then
 * verify codes: the right one, replay refused, the phone's clock a step behind and ahead (drift
 * reported), a code from two steps ago refused, a typo, and the lock after repeated wrong codes.
 * Also the RFC 4226 / RFC 6238 vectors. Every expectation is checked; the exit code is the
 * number of failures.
 *
 *   cargo rustc --lib --release --features capi --crate-type staticlib
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/totp_demo.c \
 *      target/release/libportal_codes.a -lpthread -ldl -lm -o totp_demo
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_codes.h"
#include "check.h"

/* What the person's phone shows at time t. */
static void app_code(const uint8_t *secret, size_t len, uint64_t t, char out[PCODES_TOTP_CODE_BYTES]) {
    CHECK_STATUS(pcodes_totp_code(secret, len, PCODES_ALGORITHM_SHA1, 6, 30, t, out, PCODES_TOTP_CODE_BYTES),
                 PCODES_STATUS_OK);
}

static pcodes_status verify(const pcodes_ctx *ctx, const uint8_t *secret, size_t len, const char *code,
                            uint64_t now, uint8_t *state, int32_t *drift) {
    return pcodes_totp_verify(ctx, secret, len, PCODES_ALGORITHM_SHA1, 6, 30, code, now, state,
                              PCODES_STATE_BYTES, drift);
}

int main(void) {
    uint8_t master[32];
    for (size_t i = 0; i < sizeof master; i++) master[i] = (uint8_t)(i * 11 + 5);
    pcodes_ctx *ctx = NULL;
    CHECK_STATUS(pcodes_ctx_new(master, sizeof master, 1, &ctx), PCODES_STATUS_OK);

    /* RFC vectors: RFC 6238 Appendix B (t = 59, 8 digits) and RFC 4226 Appendix D. */
    const uint8_t *seed = (const uint8_t *)"1234567890123456789012345678901234567890123456789012345678901234";
    char code[PCODES_TOTP_CODE_BYTES];
    CHECK_STATUS(pcodes_totp_code(seed, 20, PCODES_ALGORITHM_SHA1, 8, 30, 59, code, sizeof code), PCODES_STATUS_OK);
    CHECK(strcmp(code, "94287082") == 0);
    CHECK_STATUS(pcodes_totp_code(seed, 32, PCODES_ALGORITHM_SHA256, 8, 30, 59, code, sizeof code), PCODES_STATUS_OK);
    CHECK(strcmp(code, "46119246") == 0);
    CHECK_STATUS(pcodes_totp_code(seed, 64, PCODES_ALGORITHM_SHA512, 8, 30, 59, code, sizeof code), PCODES_STATUS_OK);
    CHECK(strcmp(code, "90693936") == 0);
    char hotp_code[PCODES_HOTP_CODE_BYTES]; /* counter-based codes have their own size */
    CHECK_STATUS(pcodes_hotp_code(seed, 20, PCODES_ALGORITHM_SHA1, 6, 1, hotp_code, sizeof hotp_code),
                 PCODES_STATUS_OK);
    CHECK(strcmp(hotp_code, "287082") == 0);
    CHECK_STATUS(pcodes_totp_code(seed, 20, 7, 6, 30, 59, code, sizeof code), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_totp_code(seed, 20, PCODES_ALGORITHM_SHA1, 9, 30, 59, code, sizeof code),
                 PCODES_STATUS_INVALID_ARGUMENT);
    printf("RFC 6238 t=59: 94287082 / 46119246 / 90693936, RFC 4226 counter 1: 287082\n");

    /* ---- Enrolment ---- */
    uint8_t secret[PCODES_TOTP_SECRET_BYTES];
    CHECK(pcodes_totp_secret_bytes() == sizeof secret);
    CHECK_STATUS(pcodes_totp_secret(ctx, secret, 8), PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_totp_secret(ctx, secret, sizeof secret), PCODES_STATUS_OK);
    char b32[64];
    CHECK_STATUS(pcodes_base32_encode(secret, sizeof secret, b32, sizeof b32), PCODES_STATUS_OK);
    CHECK(strlen(b32) == 32);
    uint8_t back[PCODES_TOTP_SECRET_MAX_BYTES];
    size_t back_len = 0;
    CHECK_STATUS(pcodes_base32_decode(b32, back, sizeof back, &back_len), PCODES_STATUS_OK);
    CHECK(back_len == sizeof secret && memcmp(back, secret, sizeof secret) == 0);
    printf("secret for manual entry: %.4s %.4s %.4s %.4s %.4s %.4s %.4s %.4s\n", b32, b32 + 4, b32 + 8,
           b32 + 12, b32 + 16, b32 + 20, b32 + 24, b32 + 28);

    char uri[PCODES_TOTP_URI_BYTES];
    CHECK(pcodes_totp_uri_bytes() == sizeof uri);
    CHECK_STATUS(pcodes_totp_uri(secret, sizeof secret, "Госуслуги", "ivan@example.ru", PCODES_ALGORITHM_SHA1, 6,
                                 30, uri, sizeof uri),
                 PCODES_STATUS_OK);
    printf("URI: %s\n", uri);
    CHECK(strncmp(uri, "otpauth://totp/%D0%93%D0%BE%D1%81", 33) == 0);
    CHECK(strstr(uri, ":ivan%40example.ru?secret=") != NULL);
    CHECK(strstr(uri, "period") == NULL); /* defaults are omitted */
    CHECK_STATUS(pcodes_totp_uri(secret, sizeof secret, "a:b", "c", PCODES_ALGORITHM_SHA1, 6, 30, uri, sizeof uri),
                 PCODES_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(pcodes_totp_uri(secret, sizeof secret, "Госуслуги", "ivan@example.ru", PCODES_ALGORITHM_SHA1, 6,
                                 30, uri, sizeof uri),
                 PCODES_STATUS_OK);

    pcodes_totp_enrolment e;
    CHECK_STATUS(pcodes_totp_uri_parse(uri, &e), PCODES_STATUS_OK);
    CHECK(e.is_hotp == 0 && e.algorithm == PCODES_ALGORITHM_SHA1 && e.digits == 6 && e.period == 30);
    CHECK(e.secret_len == sizeof secret && memcmp(e.secret, secret, sizeof secret) == 0);
    CHECK(strcmp(e.issuer, "Госуслуги") == 0 && strcmp(e.account, "ivan@example.ru") == 0);
    printf("parsed back: issuer %s, account %s, %u digits, %u s\n", e.issuer, e.account, e.digits, e.period);
    CHECK_STATUS(pcodes_totp_uri_parse("otpauth://totp/Bank:ivan?secret=JBSWY3DPEHPK3PXP&issuer=Evil", &e),
                 PCODES_STATUS_INVALID_ARGUMENT);

    size_t svg_cap = pcodes_totp_qr_svg_bytes();
    char *svg = malloc(svg_cap);
    CHECK(svg != NULL);
    if (svg != NULL) {
        char tiny[64];
        CHECK_STATUS(pcodes_totp_qr_svg(uri, tiny, sizeof tiny), PCODES_STATUS_BUFFER_TOO_SMALL);
        CHECK_STATUS(pcodes_totp_qr_svg(uri, svg, svg_cap), PCODES_STATUS_OK);
        CHECK(strncmp(svg, "<svg ", 5) == 0);
        const char *dir = getenv("TMPDIR");
        char path[512];
        snprintf(path, sizeof path, "%s/portal-codes-totp-demo.svg", dir && *dir ? dir : "/tmp");
        FILE *f = fopen(path, "w");
        if (f != NULL) {
            fputs(svg, f);
            fclose(f);
            printf("QR code: %zu bytes of SVG written to %s\n", strlen(svg), path);
        } else {
            printf("QR code: %zu bytes of SVG (could not write %s)\n", strlen(svg), path);
        }
        free(svg);
    }

    /* ---- Verification ---- */
    uint8_t state[PCODES_STATE_BYTES] = {0};
    const uint64_t t0 = 1700000000; /* 20 s into a step */
    int32_t drift = 99;
    app_code(secret, sizeof secret, t0, code);
    CHECK_STATUS(verify(ctx, secret, sizeof secret, code, t0, state, &drift), PCODES_STATUS_OK);
    CHECK(drift == 0);
    printf("right code: OK, drift %+" PRId32 "\n", drift);
    pcodes_status st = verify(ctx, secret, sizeof secret, code, t0 + 5, state, NULL);
    CHECK(st == PCODES_STATUS_ALREADY_USED);
    printf("replay -> %s\n", pcodes_status_name(st));

    app_code(secret, sizeof secret, t0 + 60, code); /* phone 30 s slow at t0 + 90 */
    CHECK_STATUS(verify(ctx, secret, sizeof secret, code, t0 + 90, state, &drift), PCODES_STATUS_OK);
    CHECK(drift == -1);
    printf("phone a step behind: OK, drift %+" PRId32 "\n", drift);
    app_code(secret, sizeof secret, t0 + 330, code); /* phone 30 s fast at t0 + 300 */
    CHECK_STATUS(verify(ctx, secret, sizeof secret, code, t0 + 300, state, &drift), PCODES_STATUS_OK);
    CHECK(drift == 1);
    printf("phone a step ahead: OK, drift %+" PRId32 "\n", drift);

    app_code(secret, sizeof secret, t0 + 540, code); /* two steps before t0 + 600 */
    st = verify(ctx, secret, sizeof secret, code, t0 + 600, state, NULL);
    CHECK(st == PCODES_STATUS_WRONG);
    printf("code from two steps ago -> %s\n", pcodes_status_name(st));
    st = verify(ctx, secret, sizeof secret, "12 345", t0 + 600, state, NULL);
    CHECK(st == PCODES_STATUS_MISTYPED);
    printf("typo \"12 345\" -> %s (not counted)\n", pcodes_status_name(st));

    /* Guessing: the current code with its last digit changed, four more times (5 in a row). */
    uint64_t t = t0 + 600;
    for (int i = 0; i < 4; i++) {
        t++;
        app_code(secret, sizeof secret, t, code);
        code[5] = (char)('0' + (code[5] - '0' + 1) % 10);
        st = verify(ctx, secret, sizeof secret, code, t, state, NULL);
        CHECK(st == PCODES_STATUS_WRONG);
    }
    app_code(secret, sizeof secret, t, code);
    st = verify(ctx, secret, sizeof secret, code, t, state, NULL);
    CHECK(st == PCODES_STATUS_LOCKED);
    uint64_t retry = 0;
    CHECK_STATUS(pcodes_state_retry_at(state, sizeof state, t, &retry), PCODES_STATUS_OK);
    CHECK(retry == t + 900);
    printf("after 5 wrong codes even the right one -> %s, retry in %" PRIu64 " s\n", pcodes_status_name(st),
           retry - t);
    app_code(secret, sizeof secret, retry, code);
    CHECK_STATUS(verify(ctx, secret, sizeof secret, code, retry, state, &drift), PCODES_STATUS_OK);
    printf("after the lock: OK\n");

    /* Blobs of another flow are refused and left alone. */
    uint8_t hotp_state[PCODES_STATE_BYTES] = {0};
    CHECK_STATUS(pcodes_hotp_verify(ctx, seed, 20, PCODES_ALGORITHM_SHA1, 6, "755224", t, hotp_state,
                                    sizeof hotp_state),
                 PCODES_STATUS_OK);
    CHECK_STATUS(pcodes_hotp_verify(ctx, seed, 20, PCODES_ALGORITHM_SHA1, 6, "755224", t, hotp_state,
                                    sizeof hotp_state),
                 PCODES_STATUS_ALREADY_USED);
    uint64_t counter = 0; /* which counter matched: the token's button was pressed unseen */
    CHECK_STATUS(pcodes_hotp_verify_counter(ctx, seed, 20, PCODES_ALGORITHM_SHA1, 6, "359152", t, hotp_state,
                                            sizeof hotp_state, &counter),
                 PCODES_STATUS_OK);
    CHECK(counter == 2);
    printf("HOTP: accepted at counter %llu\n", (unsigned long long)counter);
    CHECK_STATUS(verify(ctx, seed, 20, "123456", t, hotp_state, NULL), PCODES_STATUS_CORRUPT_STATE);
    CHECK_STATUS(verify(NULL, seed, 20, "123456", t, state, NULL), PCODES_STATUS_NULL_ARGUMENT);

    pcodes_ctx_free(ctx);
    return CHECK_DONE();
}
