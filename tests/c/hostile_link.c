/* Hostile input through the C ABI (see hostile.c): link codes, text lengths and SMS/e-mail codes. */

#include "hostile.h"

/* ---- link codes ---- */
/* Strings of every length 0-48 in heap blocks of exactly strlen + 1 bytes: the UTF-8 check reads
 * a string and its NUL and nothing after it (valgrind reports any read past the block), and
 * decides as UTF-8 does at every length (its vector path starts at 16 bytes). */
void test_text_lengths(void) {
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

void test_link(const pcodes_ctx *ctx) {
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
void test_link_forged_codes_do_not_block(const pcodes_ctx *ctx) {
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
pcodes_ctx *ctx_with(pcodes_setting s, uint64_t v) {
    pcodes_ctx *c = NULL;
    EXPECT(pcodes_ctx_new(MASTER, 32, 0, &c), PCODES_STATUS_OK);
    EXPECT(pcodes_ctx_set(c, s, v), PCODES_STATUS_OK);
    return c;
}

/* ---- SMS / e-mail codes ---- */
void test_otp(pcodes_ctx *ctx) {
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
