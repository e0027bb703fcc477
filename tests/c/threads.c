/*
 * One context shared by 8 threads that issue and verify at the same time: link codes, SMS codes
 * and TOTP codes, each thread with its own state blobs and secrets. Every result must be the
 * right one, and every random value (link codes, TOTP secrets) must be distinct across threads
 * (each thread has its own generator; a shared or cloned one would repeat values).
 *
 * Usage: threads [iterations per thread] (default 50). tests/foreign.rs runs it plainly with
 * many iterations and under valgrind's helgrind (which sees every memory access, also in the
 * uninstrumented Rust library) with few.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_codes.h"

#define THREADS 8
#define NOW ((uint64_t)1750000000)

static const pcodes_ctx *CTX;
static int ITER = 50;
static pthread_barrier_t START;

struct worker {
    int id;
    int passed, failed;
    char (*codes)[PCODES_LINK_CODE_BYTES]; /* every link code this thread issued */
    uint8_t (*secrets)[PCODES_TOTP_SECRET_BYTES];
};

static void check(struct worker *w, int ok, const char *what, int line) {
    if (ok) {
        w->passed++;
    } else {
        w->failed++;
        printf("FAIL thread %d line %d: %s\n", w->id, line, what); /* stdio locks the stream */
    }
}
#define CHECK(cond) check(w, (cond) ? 1 : 0, #cond, __LINE__)
#define EXPECT(call, want) check(w, (call) == (want), #call " == " #want, __LINE__)

static void *work(void *arg) {
    struct worker *w = arg;
    pcodes_child ch = {"Петрова Анна Сергеевна", "2016-11-30", "F", "112-233-445 95"};
    uint8_t link_st[PCODES_STATE_BYTES] = {0}, otp_st[PCODES_STATE_BYTES] = {0}, totp_st[PCODES_STATE_BYTES] = {0};
    char purpose[32];
    snprintf(purpose, sizeof purpose, "login:%d", w->id);
    pthread_barrier_wait(&START);
    for (int i = 0; i < ITER; i++) {
        /* Each round a week later, so that send limits, TOTP steps and the guess budget (one wrong
         * SMS code a round; one guess drains every 6 days) never get in the way. */
        uint64_t now = NOW + (uint64_t)i * 7 * 86400;
        uint64_t record = (uint64_t)w->id * 1000000 + (uint64_t)i;

        /* Link code: issue, parse back the record id, a wrong code, redeem, redeem again. */
        char *code = w->codes[i];
        EXPECT(pcodes_link_issue(CTX, record, &ch, now, link_st, sizeof link_st, code, PCODES_LINK_CODE_BYTES),
               PCODES_STATUS_OK);
        uint64_t parsed = 0;
        EXPECT(pcodes_link_parse(code, &parsed), PCODES_STATUS_OK);
        CHECK(parsed == record);
        if (i > 0) /* the previous round's code, re-issued since */
            EXPECT(pcodes_link_redeem(CTX, w->codes[i - 1], &ch, now + 1, link_st, sizeof link_st),
                   PCODES_STATUS_SUPERSEDED);
        EXPECT(pcodes_link_redeem(CTX, code, &ch, now + 2, link_st, sizeof link_st), PCODES_STATUS_OK);
        EXPECT(pcodes_link_redeem(CTX, code, &ch, now + 3, link_st, sizeof link_st), PCODES_STATUS_ALREADY_USED);

        /* SMS code: a wrong one, the right one, a replay. */
        char otp[PCODES_OTP_CODE_BYTES], wrong[PCODES_OTP_CODE_BYTES];
        EXPECT(pcodes_otp_issue(CTX, purpose, now, otp_st, sizeof otp_st, otp, sizeof otp), PCODES_STATUS_OK);
        CHECK(strlen(otp) == 6);
        memcpy(wrong, otp, sizeof otp);
        wrong[0] = (char)('0' + (wrong[0] - '0' + 1) % 10);
        EXPECT(pcodes_otp_verify(CTX, purpose, wrong, now + 5, otp_st, sizeof otp_st), PCODES_STATUS_WRONG);
        EXPECT(pcodes_otp_verify(CTX, purpose, otp, now + 6, otp_st, sizeof otp_st), PCODES_STATUS_OK);
        EXPECT(pcodes_otp_verify(CTX, purpose, otp, now + 7, otp_st, sizeof otp_st), PCODES_STATUS_ALREADY_USED);

        /* TOTP: a new secret, its code verifies once; the code of another secret is WRONG. */
        uint8_t *sec = w->secrets[i];
        EXPECT(pcodes_totp_secret(CTX, sec, PCODES_TOTP_SECRET_BYTES), PCODES_STATUS_OK);
        char t[PCODES_TOTP_CODE_BYTES];
        int32_t drift = 99;
        EXPECT(pcodes_totp_code(sec, PCODES_TOTP_SECRET_BYTES, PCODES_ALGORITHM_SHA1, 6, 30, now, t, sizeof t),
               PCODES_STATUS_OK);
        uint8_t other[PCODES_TOTP_SECRET_BYTES];
        memcpy(other, sec, sizeof other);
        other[0] ^= 1;
        char ot[PCODES_TOTP_CODE_BYTES];
        EXPECT(pcodes_totp_code(other, sizeof other, PCODES_ALGORITHM_SHA1, 6, 30, now, ot, sizeof ot),
               PCODES_STATUS_OK);
        memset(totp_st, 0, sizeof totp_st); /* a new enrolment */
        if (strcmp(ot, t) != 0) /* 1 in a million they agree */
            EXPECT(pcodes_totp_verify(CTX, sec, PCODES_TOTP_SECRET_BYTES, PCODES_ALGORITHM_SHA1, 6, 30, ot, now,
                                      totp_st, sizeof totp_st, &drift),
                   PCODES_STATUS_WRONG);
        EXPECT(pcodes_totp_verify(CTX, sec, PCODES_TOTP_SECRET_BYTES, PCODES_ALGORITHM_SHA1, 6, 30, t, now, totp_st,
                                  sizeof totp_st, &drift),
               PCODES_STATUS_OK);
        CHECK(drift == 0);
        EXPECT(pcodes_totp_verify(CTX, sec, PCODES_TOTP_SECRET_BYTES, PCODES_ALGORITHM_SHA1, 6, 30, t, now + 1,
                                  totp_st, sizeof totp_st, &drift),
               PCODES_STATUS_ALREADY_USED);

        /* PIN (first round only: PBKDF2 is slow under helgrind): hash, a wrong PIN, the right one. */
        if (i == 0) {
            char account[32], hash[PCODES_PIN_HASH_BYTES];
            uint8_t pin_st[PCODES_STATE_BYTES] = {0};
            snprintf(account, sizeof account, "account-%d", w->id);
            EXPECT(pcodes_pin_hash(CTX, account, "583196", hash, sizeof hash), PCODES_STATUS_OK);
            EXPECT(pcodes_pin_verify(CTX, account, "583197", hash, now, pin_st, sizeof pin_st), PCODES_STATUS_WRONG);
            EXPECT(pcodes_pin_verify(CTX, account, "583196", hash, now, pin_st, sizeof pin_st), PCODES_STATUS_OK);
        }
    }
    return NULL;
}

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }
static int cmp_secret(const void *a, const void *b) { return memcmp(a, b, PCODES_TOTP_SECRET_BYTES); }

int main(int argc, char **argv) {
    if (argc > 1) ITER = atoi(argv[1]);
    if (ITER < 1) ITER = 1;
    static const uint8_t key[32] = "threads-test-master-key-32-bytes";
    pcodes_ctx *ctx = NULL;
    if (pcodes_ctx_new(key, 32, 0, &ctx) != PCODES_STATUS_OK) return 2;
    if (pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10000) != PCODES_STATUS_OK) return 2;
    CTX = ctx; /* configured; from here on only shared read-only */

    /* Warm-up before any thread starts. The library has three process-wide lazy caches, all set
     * with atomics on first use: the CPU-feature flags of the sha1/sha2 crates (is SHA-NI there?),
     * std's feature cache behind the SHA-NI PBKDF2 kernels (src/mac/shani.rs) and getrandom's
     * resolved getrandom(2) entry point. Concurrent first use is race-free in the
     * C11/Rust memory model, but helgrind models only pthread and futex-based synchronisation,
     * not atomic instructions, and would report them. Touching them here orders them before
     * pthread_create, which helgrind does understand; every access it still checks is to the
     * shared context and the per-thread data this test is about. */
    {
        char t[PCODES_TOTP_CODE_BYTES];
        uint8_t s[PCODES_TOTP_SECRET_BYTES];
        for (pcodes_algorithm a = PCODES_ALGORITHM_SHA1; a <= PCODES_ALGORITHM_SHA512; a++)
            if (pcodes_totp_code(key, 20, a, 6, 30, NOW, t, sizeof t) != PCODES_STATUS_OK) return 2;
        if (pcodes_totp_secret(ctx, s, sizeof s) != PCODES_STATUS_OK) return 2;
        char h[PCODES_PIN_HASH_BYTES];
        if (pcodes_pin_hash(ctx, "warm-up", "583196", h, sizeof h) != PCODES_STATUS_OK) return 2;
    }
    /* That was the context's first use (its phase is now IN_USE, also ordered before
     * pthread_create): from here on it is read-only, and configuring it is refused. */
    if (pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 20000) != PCODES_STATUS_INVALID_ARGUMENT) return 2;

    size_t n = (size_t)THREADS * (size_t)ITER;
    char(*codes)[PCODES_LINK_CODE_BYTES] = calloc(n, PCODES_LINK_CODE_BYTES);
    uint8_t(*secrets)[PCODES_TOTP_SECRET_BYTES] = calloc(n, PCODES_TOTP_SECRET_BYTES);
    if (!codes || !secrets) return 2;
    struct worker ws[THREADS];
    pthread_t th[THREADS];
    pthread_barrier_init(&START, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        ws[i] = (struct worker){i, 0, 0, codes + (size_t)i * ITER, secrets + (size_t)i * ITER};
        if (pthread_create(&th[i], NULL, work, &ws[i]) != 0) return 2;
    }
    int passed = 0, failed = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        passed += ws[i].passed;
        failed += ws[i].failed;
    }
    pthread_barrier_destroy(&START);

    /* Every random value is distinct across all threads and rounds. */
    qsort(codes, n, PCODES_LINK_CODE_BYTES, cmp_code);
    qsort(secrets, n, PCODES_TOTP_SECRET_BYTES, cmp_secret);
    int dup_codes = 0, dup_secrets = 0;
    for (size_t i = 1; i < n; i++) {
        dup_codes += strcmp(codes[i - 1], codes[i]) == 0;
        dup_secrets += memcmp(secrets[i - 1], secrets[i], PCODES_TOTP_SECRET_BYTES) == 0;
    }
    if (dup_codes || dup_secrets) {
        printf("FAIL: %d repeated link codes, %d repeated TOTP secrets\n", dup_codes, dup_secrets);
        failed++;
    } else {
        passed++;
    }
    free(codes);
    free(secrets);
    pcodes_ctx_free(ctx);
    printf("%d threads x %d rounds\n%d passed, %d failed\n", THREADS, ITER, passed, failed);
    return failed ? 1 : 0;
}
