/*
 * The harness shared by the parts of the hostile-input test (hostile.c and hostile_*.c, compiled
 * into one program by tests/foreign.rs and tests/java.rs): the check counters and macros, the
 * exact-size heap buffers, the shared inputs and the state blobs every part uses, and the parts'
 * test functions, which hostile.c's main runs in order.
 */
#ifndef PCODES_HOSTILE_H
#define PCODES_HOSTILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_codes.h"

/* ---- checks (hostile.c) ---- */
extern int passed, failed;
void check(int ok, const char *what, const char *file, int line);
#define CHECK(cond) check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
/* The statuses that refuse a developer's argument: each comes with a detail naming it. */
int developer_error(pcodes_status s);
/* Checks a status and the developer detail the call left: "argument: why" after a developer
 * error, nothing after a verdict about a code or PIN. */
void expect(pcodes_status got, pcodes_status want, const char *call, const char *file, int line);
#define EXPECT(call, want) expect((call), (want), #call, __FILE__, __LINE__)

#define SENTINEL 0xA5
#define NOW ((uint64_t)1750000000)
#define MB (1024 * 1024)

/* ---- exact-size heap buffers and shared inputs (hostile.c) ---- */
/* A heap buffer of exactly n bytes (at least 1 allocated so that n = 0 has a pointer), filled with
 * the sentinel. */
void *guarded(size_t n);
/* Whether the first n bytes (at least 1) of p still hold the sentinel. */
int untouched(const void *p, size_t n);
/* A heap copy of s, exactly strlen(s) + 1 bytes. */
char *hcopy(const char *s);
/* A heap string of n copies of c. */
char *repeat(char c, size_t n);

#define N_BAD 7
extern const char *const BAD_UTF8[N_BAD];
extern const uint8_t MASTER[32];
extern const uint8_t SECRET[20]; /* RFC 4226/6238 test secret */
pcodes_child ivan(void);

/* ---- state blobs (hostile_states.c) ---- */
/* Valid blobs of each kind, made through the library by make_states. */
extern uint8_t LINK_ST[64], OTP_ST[64], TOTP_ST[64], HOTP_ST[64], PIN_ST[64], REC_ST[64];
#define N_KINDS 6
extern const uint8_t *const KIND_ST[N_KINDS];
enum { K_LINK, K_OTP, K_TOTP, K_HOTP, K_PIN, K_REC };
/* The recovery set of account "acc-1" in REC_ST: its stored string and codes. */
extern char REC_STORED[PCODES_RECOVERY_STORED_BYTES];
extern char REC_CODES[4 * PCODES_RECOVERY_CODE_BYTES];
extern char PIN_HASH[PCODES_PIN_HASH_BYTES]; /* "583196" for account "acc-1" */
void make_states(const pcodes_ctx *ctx);

/* ---- contexts (hostile_link.c) ---- */
/* A new context under MASTER (id 0) with one setting changed. */
pcodes_ctx *ctx_with(pcodes_setting s, uint64_t v);

/* ---- the parts' tests, in the order main runs them ---- */
void test_accessors(void);
void test_setting_info(void);
void test_settings_keep_the_guess_limits(void);
void test_ctx(void);
void test_states(const pcodes_ctx *ctx);
void test_text_lengths(void);
void test_link(const pcodes_ctx *ctx);
void test_link_forged_codes_do_not_block(const pcodes_ctx *ctx);
void test_otp(pcodes_ctx *ctx);
void test_totp(const pcodes_ctx *ctx);
void test_pin(pcodes_ctx *ctx);
void test_pepper(void);
void test_pin_generate(pcodes_ctx *ctx);
void test_recovery(pcodes_ctx *ctx);
void test_device(pcodes_ctx *ctx);
void test_device_lanes(pcodes_ctx *ctx);

#endif
