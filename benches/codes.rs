//! One criterion group per operation, with the best existing implementation of the same work
//! (the peer) and the physical floor — the same number of SHA-1/SHA-256 compressions the
//! operation needs, run back to back — in the same group, so that ratios measured in one run
//! can be reported (`python3 benches/report.py`, see benches/README.md).
//!
//! Every function here starts from the same inputs on every iteration (a fresh copy of the
//! state blob), so a wrong code never builds up failures or locks.

use criterion::{Bencher, Criterion, criterion_group, criterion_main};
use portal_codes::link::{self, Child};
use portal_codes::mac::{Algorithm, Sha1, Sha256};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Params};
use portal_codes::{Context, STATE_BYTES, Setting, device, otp, pin, recovery};
use std::hint::black_box;
use std::time::Duration;

/// `n` dependent compressions of algorithm `A`: the floor for an operation that needs `n`.
fn floor<A: Algorithm>(b: &mut Bencher<'_>, n: usize) {
    let mut state = A::IV;
    let block = A::ZERO_BLOCK;
    b.iter(|| {
        for _ in 0..n {
            A::compress(black_box(&mut state), black_box(&block));
        }
    });
}

/// `n` dependent SHA-1 compressions followed by the HOTP formatting of the result (RFC 4226
/// dynamic truncation, reduction to six digits, six ASCII digits), with the digits fed back
/// into the state: the formatting is on the same dependency chain as the compressions, as it
/// is in a HOTP code, so this measures its latency, as the compression floor does.
fn floor_then_format(b: &mut Bencher<'_>, n: usize) {
    let mut state = Sha1::IV;
    let block = Sha1::ZERO_BLOCK;
    b.iter(|| {
        for _ in 0..n {
            Sha1::compress(black_box(&mut state), black_box(&block));
        }
        let out = format_6_digits(Sha1::digest_u32_at(&state, (state[4] & 0x0f) as usize));
        state[0] ^= u32::from_ne_bytes([out[2], out[3], out[4], out[5]]);
        out
    });
}

/// A 31-bit truncated MAC value as six ASCII digits (the usual loop).
#[allow(clippy::cast_possible_truncation)]
fn format_6_digits(truncated: u32) -> [u8; 6] {
    let mut v = (truncated & 0x7fff_ffff) % 1_000_000;
    let mut out = [0u8; 6];
    for o in out.iter_mut().rev() {
        *o = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out
}

const NOW: u64 = 1_750_000_000; // 2025-06-15
const SECRET: [u8; 20] = *b"12345678901234567890";

fn ctx() -> Context {
    let mut ctx = Context::new(&[0x42; 32], 1).unwrap();
    ctx.set(Setting::PinIterations, 10_000).unwrap();
    ctx
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([9; 32])
}

/// The compression functions alone (per 64-byte block; SHA-512 per 128-byte block).
fn compression(c: &mut Criterion) {
    let mut g = c.benchmark_group("floor");
    g.bench_function("sha256-compress", |b| floor::<Sha256>(b, 1));
    g.bench_function("sha1-compress", |b| floor::<Sha1>(b, 1));
    g.bench_function("sha512-compress", |b| floor::<portal_codes::mac::Sha512>(b, 1));
    g.finish();
}

/// PBKDF2-HMAC-SHA256 at 10,000 iterations (the report divides by 10,000): the PIN module's
/// PBKDF2, the `pbkdf2` crate, and 20,000 compressions.
fn pbkdf2_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("pbkdf2-10000");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    let salt = [7u8; 16];
    g.bench_function("portal-codes", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pin::pbkdf2::pbkdf2_hmac_sha256(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.bench_function("pbkdf2-crate", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.bench_function("ring", |b| ring_pbkdf2::<32>(b, &salt));
    g.bench_function("openssl", |b| openssl_pbkdf2::<32>(b, &salt));
    g.bench_function("floor-20000-sha256", |b| floor::<Sha256>(b, 20_000));
    g.finish();

    pbkdf2_lanes_group(c);

    // The whole PIN hash and verify at 10,000 iterations, for scale.
    let ctx = ctx();
    let mut g = c.benchmark_group("pin-hash-verify-10000");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    let mut r = rng();
    g.bench_function("hash", |b| {
        b.iter(|| pin::hash_with_rng(&ctx, "account-1", black_box("385027"), &mut r))
    });
    let stored = pin::hash_with_rng(&ctx, "account-1", "385027", &mut rng()).unwrap();
    g.bench_function("verify-correct", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            pin::verify(&ctx, "account-1", black_box("385027"), stored.as_str(), NOW, &mut st)
        });
    });
    g.finish();
}

/// TOTP verify, 6 digits, window ±1, a wrong code: three candidate codes.
fn totp_verify(c: &mut Criterion) {
    let ctx = ctx();
    let params = Params::default();
    let mut g = c.benchmark_group("totp-verify-wrong");
    g.bench_function("portal-codes", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            totp::time::verify(&ctx, black_box(&SECRET), &params, black_box("000000"), NOW, &mut st)
        });
    });
    let peer = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(SECRET)
        .build()
        .unwrap();
    assert!(peer.check("000000", NOW).is_none(), "the bench code must be wrong");
    g.bench_function("totp-rs", |b| b.iter(|| peer.check(black_box("000000"), NOW)));
    g.bench_function("floor-6-sha1", |b| floor::<Sha1>(b, 6));
    g.bench_function("floor-8-sha1", |b| floor::<Sha1>(b, 8));
    // Not a floor: 8 compressions on 4 independent states, showing how much SHA-NI overlaps
    // independent work (what the batched candidate scan exploits).
    g.bench_function("independent-8-sha1", |b| {
        let mut s = [Sha1::IV; 4];
        let block = [0u8; 64];
        b.iter(|| {
            for _ in 0..2 {
                for st in &mut s {
                    Sha1::compress(black_box(st), black_box(&block));
                }
            }
        });
    });
    g.finish();
}

/// One HOTP code (RFC 4226, SHA-1, 6 digits) from the secret.
fn hotp_code(c: &mut Criterion) {
    use hmac::{KeyInit, Mac};
    let mut g = c.benchmark_group("hotp-code");
    let mut counter = 0u64;
    g.bench_function("portal-codes", |b| {
        b.iter(|| {
            counter += 1;
            totp::hotp::code(black_box(&SECRET), totp::Algorithm::Sha1, 6, counter)
        });
    });
    // Keyed once (totp::HotpKey): what generating many codes from one secret costs.
    let keyed = totp::HotpKey::new(&SECRET, totp::Algorithm::Sha1).unwrap();
    g.bench_function("portal-codes-prekeyed", |b| {
        b.iter(|| {
            counter += 1;
            black_box(&keyed).code(6, counter)
        });
    });
    let peer = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(1)
        .with_secret(SECRET)
        .build()
        .unwrap();
    g.bench_function("totp-rs", |b| {
        b.iter(|| {
            counter += 1;
            peer.generate(black_box(counter))
        });
    });
    g.bench_function("hmac-crate", |b| {
        b.iter(|| {
            counter += 1;
            let mut m = hmac::Hmac::<sha1::Sha1>::new_from_slice(black_box(&SECRET)).unwrap();
            m.update(&counter.to_be_bytes());
            let d = m.finalize().into_bytes();
            let off = usize::from(d[19] & 0x0f);
            let mut v = u32::from_be_bytes([d[off] & 0x7f, d[off + 1], d[off + 2], d[off + 3]]) % 1_000_000;
            let mut out = [0u8; 6];
            for o in out.iter_mut().rev() {
                *o = b'0' + (v % 10) as u8;
                v /= 10;
            }
            out
        });
    });
    g.bench_function("floor-2-sha1", |b| floor::<Sha1>(b, 2));
    g.bench_function("floor-4-sha1", |b| floor::<Sha1>(b, 4));
    // The floors of the target: the compressions, then the formatting on the same chain.
    g.bench_function("floor-2-sha1-then-format", |b| floor_then_format(b, 2));
    g.bench_function("floor-4-sha1-then-format", |b| floor_then_format(b, 4));
    // The formatting alone, independent calls (its throughput, not its latency): for the
    // README's comparison with "floor + formatting" summed.
    g.bench_function("format-6-digits", |b| b.iter(|| format_6_digits(black_box(0x1234_5678))));
    g.finish();
}

fn child() -> Child<'static> {
    Child::new("Иванова Мария Петровна", "2015-01-01", "Ж", "112-233-445 95")
}

/// Link codes: issue, parse, redeem (right and wrong code), with ULID generation for scale.
/// Issue and redeem MAC the child's data under the link key (2 inner compressions for this
/// child and the outer one) and MAC the code (2 compressions): the floor is 5 compressions
/// (the issue's count is 6; `floor-6-sha256`).
fn link_group(c: &mut Criterion) {
    let ctx = ctx();
    let kid = child();
    let mut g = c.benchmark_group("link");
    let mut r = rng();
    g.bench_function("issue", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            link::issue_with_rng(&ctx, black_box(123_456), &kid, NOW, &mut st, &mut r)
        });
    });
    let mut issued = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, 123_456, &kid, NOW, &mut issued, &mut rng()).unwrap();
    g.bench_function("parse", |b| b.iter(|| link::parse(black_box(code.as_str()))));
    // The typed code is a `&str` (converting the `LinkCode` is the fixture's work, not
    // redeem's; the C benchmark's string is made once too).
    let typed = code.as_str();
    g.bench_function("redeem", |b| {
        b.iter(|| {
            let mut st = issued;
            link::redeem(&ctx, black_box(typed), &kid, NOW + 60, &mut st)
        });
    });
    let wrong = wrong_link_code(&ctx, &kid, &issued);
    g.bench_function("redeem-wrong", |b| {
        b.iter(|| {
            let mut st = issued;
            link::redeem(&ctx, black_box(wrong.as_str()), &kid, NOW + 60, &mut st)
        });
    });
    g.bench_function("ulid-generate", |b| b.iter(ulid::Ulid::generate));
    g.bench_function("ulid-generate-text", |b| {
        b.iter(|| {
            let mut buf = [0u8; 26];
            let _ = ulid::Ulid::generate().array_to_str(&mut buf);
            buf
        });
    });
    g.bench_function("floor-4-sha256", |b| floor::<Sha256>(b, 4));
    g.bench_function("floor-5-sha256", |b| floor::<Sha256>(b, 5));
    g.bench_function("floor-6-sha256", |b| floor::<Sha256>(b, 6));
    let mut r = rng();
    g.bench_function("chacha20-draw", |b| b.iter(|| portal_codes::rng::Rng::next_u32(&mut r)));
    g.finish();
}

/// A well-formed code (valid check symbol) for the same record whose tag does not verify.
fn wrong_link_code(ctx: &Context, kid: &Child<'_>, issued: &[u8; STATE_BYTES]) -> String {
    let other = Context::new(&[0x43; 32], 1).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&other, 123_456, kid, NOW, &mut st, &mut rng()).unwrap();
    let mut probe = *issued;
    assert_eq!(link::redeem(ctx, code.as_str(), kid, NOW + 60, &mut probe), Err(portal_codes::Error::Wrong));
    code.as_str().to_owned()
}

/// SMS codes: issue, verify right and wrong, with an earlier send in the state (so verify
/// computes both tags: 4 compressions).
fn sms_group(c: &mut Criterion) {
    let ctx = ctx();
    let mut g = c.benchmark_group("sms-otp");
    let mut r = rng();
    g.bench_function("issue", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            otp::issue_with_rng(&ctx, black_box("login"), NOW, &mut st, &mut r)
        });
    });
    let mut sent = [0u8; STATE_BYTES];
    otp::issue_with_rng(&ctx, "login", NOW - 120, &mut sent, &mut rng()).unwrap();
    let code = otp::issue_with_rng(&ctx, "login", NOW, &mut sent, &mut rng()).unwrap();
    let wrong = if code.as_str() == "000000" { "000001" } else { "000000" };
    g.bench_function("verify", |b| {
        b.iter(|| {
            let mut st = sent;
            otp::verify(&ctx, "login", black_box(code.as_str()), NOW + 10, &mut st)
        });
    });
    g.bench_function("verify-wrong", |b| {
        b.iter(|| {
            let mut st = sent;
            otp::verify(&ctx, "login", black_box(wrong), NOW + 10, &mut st)
        });
    });
    g.bench_function("floor-2-sha256", |b| floor::<Sha256>(b, 2));
    g.bench_function("floor-4-sha256", |b| floor::<Sha256>(b, 4));
    g.finish();
}

/// `ring`'s PBKDF2-HMAC-SHA256, 10,000 iterations, `N` output bytes (`N / 32` blocks, one after
/// the other).
fn ring_pbkdf2<const N: usize>(b: &mut Bencher<'_>, salt: &[u8]) {
    let iterations = core::num::NonZeroU32::new(10_000).unwrap();
    b.iter(|| {
        let mut out = [0u8; N];
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            salt,
            black_box(b"385027"),
            &mut out,
        );
        out
    });
}

/// OpenSSL's `PKCS5_PBKDF2_HMAC` with `EVP_sha256` (the system libcrypto), 10,000 iterations,
/// `N` output bytes.
fn openssl_pbkdf2<const N: usize>(b: &mut Bencher<'_>, salt: &[u8]) {
    let md = openssl::hash::MessageDigest::sha256();
    b.iter(|| {
        let mut out = [0u8; N];
        openssl::pkcs5::pbkdf2_hmac(black_box(b"385027"), salt, 10_000, md, &mut out).unwrap();
        out
    });
}

/// Issue 23's figure of merit: PBKDF2-HMAC-SHA256 at 10,000 iterations with `dkLen = L × 32`
/// (L = 1..4 independent blocks, interleaved on SHA-NI), beside today's single-lane loop (the
/// `HmacKey::iterate` loop of earlier releases, written here with the public API), the
/// `pbkdf2` crate, `ring` and OpenSSL (one block each, and four for scale) and 20,000 dependent
/// compressions.
/// `benches/report.py` turns it into attacker work per defender core-time:
/// `L × 2 × 10,000` compressions ÷ the time.
fn pbkdf2_lanes_group(c: &mut Criterion) {
    use portal_codes::mac::HmacKey;
    let mut g = c.benchmark_group("pbkdf2-lanes-10000");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    let salt = [7u8; 16];
    g.bench_function("single-lane-iterate", |b| {
        b.iter(|| {
            let key = HmacKey::<Sha256>::new(black_box(b"385027"));
            let mut block = HmacKey::<Sha256>::digest_block();
            let u = key.mac(&[&salt, &1u32.to_be_bytes()]);
            let mut acc = u;
            block[..32].copy_from_slice(&u);
            for _ in 1..10_000 {
                key.iterate(&mut block);
                for (a, x) in acc.iter_mut().zip(&block[..32]) {
                    *a ^= x;
                }
            }
            acc
        });
    });
    fn lanes<const N: usize>(b: &mut Bencher<'_>, salt: &[u8]) {
        b.iter(|| {
            let mut out = [0u8; N];
            pin::pbkdf2::pbkdf2_hmac_sha256(black_box(b"385027"), salt, 10_000, &mut out);
            out
        });
    }
    g.bench_function("lanes-1", |b| lanes::<32>(b, &salt));
    g.bench_function("lanes-2", |b| lanes::<64>(b, &salt));
    g.bench_function("lanes-3", |b| lanes::<96>(b, &salt));
    g.bench_function("lanes-4", |b| lanes::<128>(b, &salt));
    g.bench_function("pbkdf2-crate-1", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.bench_function("pbkdf2-crate-4", |b| {
        b.iter(|| {
            let mut out = [0u8; 128];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.bench_function("ring-1", |b| ring_pbkdf2::<32>(b, &salt));
    g.bench_function("ring-4", |b| ring_pbkdf2::<128>(b, &salt));
    g.bench_function("openssl-1", |b| openssl_pbkdf2::<32>(b, &salt));
    g.bench_function("openssl-4", |b| openssl_pbkdf2::<128>(b, &salt));
    g.bench_function("floor-20000-sha256", |b| floor::<Sha256>(b, 20_000));
    g.finish();
}

/// The weak-PIN check at set-up (format, confirmation, blocklist, patterns, birth date).
fn pin_check(c: &mut Criterion) {
    let ctx = ctx();
    let mut g = c.benchmark_group("pin-check");
    g.bench_function("6-digits-birth-date", |b| {
        b.iter(|| pin::check(&ctx, black_box("385027"), "385027", Some("1987-05-25")));
    });
    g.bench_function("4-digits", |b| b.iter(|| pin::check(&ctx, black_box("3850"), "3850", None)));
    g.bench_function("6-digits-weak", |b| b.iter(|| pin::check(&ctx, black_box("123456"), "123456", None)));
    g.finish();
}

/// Recovery codes: verify against a set of 10 (the right code on a fresh copy of the blob, and
/// a well-formed wrong one), beside the floor: one HMAC of a short message under a precomputed
/// key state is 2 SHA-256 compressions; the rest is reading the stored string (base64 of the
/// set id and 10 tags) and the 16 constant-time comparisons.
fn recovery_group(c: &mut Criterion) {
    let ctx = ctx();
    let mut g = c.benchmark_group("recovery");
    let mut set_blob = [0u8; STATE_BYTES];
    let set = recovery::generate_with_rng(&ctx, "account-1", 10, &mut set_blob, &mut rng()).unwrap();
    let stored = set.stored().as_str().to_owned();
    let code = set.codes()[9].as_str().to_owned();
    g.bench_function("verify-of-10", |b| {
        b.iter(|| {
            let mut st = set_blob;
            recovery::verify(&ctx, "account-1", &stored, black_box(&code), NOW, &mut st)
        });
    });
    g.bench_function("verify-of-10-wrong", |b| {
        b.iter(|| {
            let mut st = set_blob;
            recovery::verify(&ctx, "account-1", &stored, black_box("0000-0000-0000"), NOW, &mut st)
        });
    });
    g.bench_function("generate-10", |b| {
        let mut r = rng();
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            recovery::generate_with_rng(&ctx, "account-1", 10, &mut st, &mut r)
        });
    });
    g.bench_function("floor-2-sha256", |b| floor::<Sha256>(b, 2));
    g.finish();
}

/// Device trust: checking a token (parse the 80 symbols, one HMAC-SHA256 under the precomputed
/// device key over 76 bytes for this account id: 2 inner compressions and the outer one, then
/// the constant-time comparison of 16 bytes), and issuing one. The floor is 3 compressions.
fn device_group(c: &mut Criterion) {
    let ctx = ctx();
    let mut g = c.benchmark_group("device");
    let mut blob = [0u8; STATE_BYTES];
    let token = device::issue_with_rng(&ctx, "account-1", NOW, &mut blob, &mut rng()).unwrap();
    let token = token.as_str().to_owned();
    g.bench_function("check", |b| b.iter(|| device::check(&ctx, "account-1", black_box(&token), NOW, &blob)));
    g.bench_function("check-forged", |b| {
        b.iter(|| device::check(&ctx, "account-2", black_box(&token), NOW, &blob))
    });
    g.bench_function("issue", |b| {
        let mut r = rng();
        let mut st = blob;
        b.iter(|| device::issue_with_rng(&ctx, "account-1", NOW, &mut st, &mut r))
    });
    g.bench_function("floor-3-sha256", |b| floor::<Sha256>(b, 3));
    g.finish();
}

criterion_group!(
    benches,
    compression,
    pbkdf2_group,
    totp_verify,
    hotp_code,
    link_group,
    sms_group,
    pin_check,
    recovery_group,
    device_group
);
criterion_main!(benches);
