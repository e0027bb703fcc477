/*
 * fork() safety of the library's randomness. The library draws from a per-thread ChaCha20
 * generator seeded from the OS; after fork() the child inherits a copy of the parent's
 * generator, so without the reseed-on-pid-change in src/rng.rs parent and child would hand out
 * the same link codes, TOTP secrets and SMS codes.
 *
 * Each round the parent first uses the generator (so it is seeded and has state to inherit),
 * forks, and then parent and child make the same requests: a link code for the same record,
 * child data, time and fresh state (only randomness tells them apart), a TOTP secret, and three
 * 8-digit SMS codes with their state blobs. The child sends its values back through a pipe; the
 * parent checks that they differ from its own values made after the fork and from the ones made
 * before it.
 *
 * Prints "N passed, M failed" and exits non-zero if any check failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "portal_codes.h"

#define NOW ((uint64_t)1750000000)
#define ROUNDS 5
#define SMS 3

static int passed, failed;
#define CHECK(cond)                                                   \
    do {                                                              \
        if (cond) {                                                   \
            passed++;                                                 \
        } else {                                                      \
            failed++;                                                 \
            printf("FAIL round %d line %d: %s\n", round, __LINE__, #cond); \
        }                                                             \
    } while (0)

/* Everything random one process makes in one round. */
struct draw {
    pcodes_status rc;
    char link[PCODES_LINK_CODE_BYTES];
    uint8_t link_state[PCODES_STATE_BYTES];
    uint8_t secret[PCODES_TOTP_SECRET_BYTES];
    char sms[SMS][PCODES_OTP_CODE_BYTES];
    uint8_t sms_state[SMS][PCODES_STATE_BYTES];
};

static void draw(const pcodes_ctx *ctx, struct draw *d) {
    pcodes_child ch = {"Сидоров Пётр Ильич", "2014-06-01", "M", "112-233-445 95"};
    memset(d, 0, sizeof *d);
    d->rc = pcodes_link_issue(ctx, 4242, &ch, NOW, d->link_state, PCODES_STATE_BYTES, d->link, sizeof d->link);
    if (d->rc == PCODES_STATUS_OK) d->rc = pcodes_totp_secret(ctx, d->secret, sizeof d->secret);
    for (int i = 0; i < SMS && d->rc == PCODES_STATUS_OK; i++)
        d->rc = pcodes_otp_issue(ctx, "login", NOW, d->sms_state[i], PCODES_STATE_BYTES, d->sms[i], sizeof d->sms[i]);
}

/* Whether two draws share any random value (the 8-digit SMS codes compared together). */
static int overlap(const struct draw *a, const struct draw *b) {
    int sms_same = 1;
    for (int i = 0; i < SMS; i++) sms_same &= strcmp(a->sms[i], b->sms[i]) == 0;
    return strcmp(a->link, b->link) == 0 || memcmp(a->link_state, b->link_state, PCODES_STATE_BYTES) == 0 ||
           memcmp(a->secret, b->secret, sizeof a->secret) == 0 || sms_same ||
           memcmp(a->sms_state, b->sms_state, sizeof a->sms_state) == 0;
}

int main(void) {
    static const uint8_t key[32] = "fork-test-master-key-of-32-bytes";
    pcodes_ctx *ctx = NULL;
    if (pcodes_ctx_new(key, 32, 0, &ctx) != PCODES_STATUS_OK) return 2;
    if (pcodes_ctx_set(ctx, PCODES_SETTING_OTP_DIGITS, 8) != PCODES_STATUS_OK) return 2;
    int round = 0;
    for (round = 0; round < ROUNDS; round++) {
        struct draw before, parent, child;
        draw(ctx, &before);
        CHECK(before.rc == PCODES_STATUS_OK);
        int fds[2];
        if (pipe(fds) != 0) return 2;
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) return 2;
        if (pid == 0) {
            close(fds[0]);
            draw(ctx, &child);
            ssize_t w = write(fds[1], &child, sizeof child);
            _exit(w == (ssize_t)sizeof child ? 0 : 3);
        }
        close(fds[1]);
        draw(ctx, &parent);
        size_t got = 0;
        while (got < sizeof child) {
            ssize_t r = read(fds[0], (char *)&child + got, sizeof child - got);
            if (r <= 0) break;
            got += (size_t)r;
        }
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CHECK(got == sizeof child);
        CHECK(parent.rc == PCODES_STATUS_OK);
        CHECK(child.rc == PCODES_STATUS_OK);
        /* The values themselves are well-formed ... */
        CHECK(strlen(child.link) == PCODES_LINK_CODE_BYTES - 1 && strlen(child.sms[0]) == 8);
        uint64_t rec = 0;
        CHECK(pcodes_link_parse(child.link, &rec) == PCODES_STATUS_OK && rec == 4242);
        /* ... and the child's differ from the parent's, after the fork and before it. */
        CHECK(!overlap(&child, &parent));
        CHECK(!overlap(&child, &before));
        CHECK(!overlap(&parent, &before));
        if (round == 0)
            printf("parent: %s %s | child: %s %s\n", parent.link, parent.sms[0], child.link, child.sms[0]);
    }
    pcodes_ctx_free(ctx);
    printf("%d rounds\n%d passed, %d failed\n", ROUNDS, passed, failed);
    return failed ? 1 : 0;
}
