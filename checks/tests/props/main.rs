//! Hostile input, property-tested: every parser and verifier gets arbitrary strings (any
//! Unicode, NULs, very long), arbitrary state blobs (random, almost valid, of the wrong kind,
//! real blobs with bytes flipped) and arbitrary times. Properties checked for each:
//!
//! - no panic (a panic fails the case);
//! - every error is one the function's `# Errors` section lists;
//! - `CORRUPT_STATE` leaves the blob byte for byte unchanged, and a blob the flow's kind cannot
//!   decode always gives `CORRUPT_STATE` (once the other arguments are valid);
//! - a blob written back is one the same flow accepts again (never a self-made corrupt state);
//! - round trips: base32 encode/decode (against a bit-by-bit reference decoder), otpauth URI
//!   build/parse, link issue → parse → redeem, TOTP/HOTP code → verify;
//! - link codes: any single substitution and any adjacent transposition is `MISTYPED`, and a
//!   random 25-symbol string parses exactly when an independent GF(32) check says it is valid.
//!
//! The case count is moderate so that `cargo test --workspace` stays quick in debug builds; set
//! `PROPTEST_CASES=10000` (and `--release`) for a deeper run.

#[path = "../../../tests/support/mod.rs"]
mod support;

mod device;
mod encodings;
mod link_codes;
mod one_time;
mod pins;
mod state;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Algorithm, Params, uri};
use portal_codes::{Context, Error, Lang, STATE_BYTES, Setting, base32, mac};
use portal_codes::{otp, pin};
use support::errors::*;

type Blob = [u8; STATE_BYTES];

/// 2023-11-14 22:13:20 UTC.
const T0: u64 = 1_700_000_000;

/// `cases` unless `PROPTEST_CASES` is set.
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

fn ctx() -> Context {
    let mut c = Context::new(&[0x5a; 32], 3).unwrap();
    c.add_key(&[0xa5; 48], 9).unwrap();
    c
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

// ---------------------------------------------------------------- strategies

/// Arbitrary text: any Unicode, text near the code alphabets with NULs and control
/// characters, digits and spaces, and very long strings.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[\\x00-\\x1f0-9A-Za-z \\-=:%&?/#\u{410}-\u{44f}\u{2010}-\u{2015}\u{a0}]{0,40}",
        2 => "[0-9 ]{0,12}",
        1 => vec(any::<char>(), 0..3000).prop_map(String::from_iter),
        1 => ("[0-9A-Z \\x00-]{1,6}", 1usize..20_000).prop_map(|(s, n)| s.repeat(n / s.len())),
    ]
}

/// Times: the edges, any u64, and around today (also outside the clock's range).
fn time() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(portal_codes::clock::MAX_NOW),
        Just(portal_codes::clock::MAX_NOW + 1),
        any::<u64>(),
        (T0 - 1_000_000)..(T0 + 1_000_000),
    ]
}

/// Times inside the clock's range.
fn valid_time() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(portal_codes::clock::MIN_NOW),
        Just(portal_codes::clock::MAX_NOW),
        portal_codes::clock::MIN_NOW..=portal_codes::clock::MAX_NOW,
        (T0 - 1_000_000)..(T0 + 1_000_000),
    ]
}

/// 64-byte blobs: fully random; all zeros; and blobs whose header is (nearly) valid for some
/// kind (0–6, so also unknown ones) with random counters and a payload of mostly zeros, which
/// gets the flows' own payload checks exercised.
fn blob() -> impl Strategy<Value = Blob> {
    let header = (
        0u8..=8,
        prop_oneof![4 => Just(portal_codes::state::VERSION), 1 => Just(portal_codes::state::OLDEST_VERSION), 1 => any::<u8>()],
        any::<u16>(),
        prop_oneof![4 => Just([0u8; 4]), 1 => any::<[u8; 4]>()],
        prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>(), (T0 - 10_000)..(T0 + 10_000)],
        prop_oneof![Just(0u64), any::<u64>(), (T0 - 10_000)..(T0 + 10_000)],
        vec(prop_oneof![2 => Just(0u8), 1 => any::<u8>()], 40),
    );
    prop_oneof![
        1 => vec(any::<u8>(), STATE_BYTES).prop_map(|v| v.try_into().unwrap()),
        1 => Just([0u8; STATE_BYTES]),
        4 => header.prop_map(|(kind, version, failures, reserved, locked, wait, payload)| {
            let mut b = [0u8; STATE_BYTES];
            b[0] = kind;
            b[1] = version;
            b[2..4].copy_from_slice(&failures.to_le_bytes());
            b[4..8].copy_from_slice(&reserved);
            b[8..16].copy_from_slice(&locked.to_le_bytes());
            b[16..24].copy_from_slice(&wait.to_le_bytes());
            b[24..].copy_from_slice(&payload);
            b
        }),
    ]
}

/// Up to three (offset, xor) byte changes.
fn flips() -> impl Strategy<Value = Vec<(usize, u8)>> {
    vec((0..STATE_BYTES, 1u8..=255), 0..=3)
}

fn flip(mut b: Blob, flips: &[(usize, u8)]) -> Blob {
    for &(at, x) in flips {
        b[at] ^= x;
    }
    b
}

fn field(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => proptest::sample::select(valid).prop_map(str::to_owned),
        1 => hostile(),
    ]
}

/// The four child fields: valid values, near misses and hostile text.
fn child_fields() -> impl Strategy<Value = [String; 4]> {
    (
        field(&["Иванов Иван Иванович", "  ИВАНОВ   иван ", "Ёлкина Алёна", ""]),
        field(&["2015-03-01", "2015-02-29", "2016-02-29", "1899-12-31", "2999-01-01", " 2015-03-01 "]),
        field(&["M", "F", "м", "Ж", "X", ""]),
        field(&["112-233-445 95", "11223344595", "11223344596", "001-001-998 00", "1122334459"]),
    )
        .prop_map(|(a, b, c, d)| [a, b, c, d])
}

fn child(f: &[String; 4]) -> Child<'_> {
    Child::new(&f[0], &f[1], &f[2], &f[3])
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)]
}

fn params() -> impl Strategy<Value = Params> {
    (algorithm(), 6u32..=8, prop_oneof![Just(30u32), 1u32..=3600])
        .prop_map(|(a, d, p)| Params::new(a, d, p).unwrap())
}

/// A person's typing of `code`: spaces sprinkled in.
fn spaced(code: &str, at: &[usize]) -> String {
    let mut s = String::new();
    for (i, c) in code.chars().enumerate() {
        if at.contains(&i) {
            s.push(' ');
        }
        s.push(c);
    }
    s.push(' ');
    s
}

// ---------------------------------------------------------------- flow checks

/// The properties every flow call must have; `args_ok` says the non-state arguments pass the
/// checks that come before decoding the blob. A `now` outside the clock's range is refused
/// first, with the blob untouched.
fn check_flow<T: std::fmt::Debug>(
    r: &Result<T, Error>,
    allowed: &[Error],
    kind: Kind,
    before: &Blob,
    after: &Blob,
    args_ok: bool,
    now: u64,
) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(allowed.contains(e), "undocumented error {e:?} (allowed {allowed:?})");
    }
    if portal_codes::clock::check(now).is_err() {
        prop_assert_eq!(r.as_ref().err(), Some(&Error::InvalidArgument), "now {} out of range", now);
        prop_assert_eq!(before, after, "a refused now must leave the blob unchanged");
        return Ok(());
    }
    if matches!(r, Err(Error::CorruptState)) {
        prop_assert_eq!(before, after, "CORRUPT_STATE must leave the blob unchanged");
    }
    if args_ok && State::decode(before, kind).is_err() {
        prop_assert_eq!(r.as_ref().err(), Some(&Error::CorruptState), "an undecodable blob was used");
    }
    if before != after {
        prop_assert!(State::decode(after, kind).is_ok(), "wrote a blob of another kind: {after:?}");
    }
    Ok(())
}

/// A link flow call on `blob`, checked, then called again on the result: the flow must accept
/// what it wrote.
fn redeem_checked(
    ctx: &Context,
    code: &str,
    fields: &[String; 4],
    now: u64,
    before: Blob,
) -> Result<(Result<(), Error>, Blob), TestCaseError> {
    let mut st = before;
    let r = link::redeem(ctx, code, &child(fields), now, &mut st);
    check_flow(&r, REDEEM_ERRORS, Kind::Link, &before, &st, true, now)?;
    if r != Err(Error::CorruptState) {
        let mut again = st;
        let r2 = link::redeem(ctx, code, &child(fields), now, &mut again);
        prop_assert_ne!(r2, Err(Error::CorruptState), "the flow refused its own blob");
    }
    Ok((r, st))
}

fn otp_verify_checked(
    ctx: &Context,
    purpose: &str,
    code: &str,
    now: u64,
    before: Blob,
) -> Result<(Result<(), Error>, Blob), TestCaseError> {
    let mut st = before;
    let r = otp::verify(ctx, purpose, code, now, &mut st);
    check_flow(&r, OTP_VERIFY_ERRORS, Kind::Otp, &before, &st, !purpose.is_empty(), now)?;
    if purpose.is_empty() {
        prop_assert_eq!(r, Err(Error::InvalidArgument));
        prop_assert_eq!(st, before);
    } else if r != Err(Error::CorruptState) {
        let mut again = st;
        prop_assert_ne!(otp::verify(ctx, purpose, code, now, &mut again), Err(Error::CorruptState));
    }
    Ok((r, st))
}

/// Characters valid in an issuer or account name: no `:` and none that `uri::is_name_char`
/// refuses (controls; since issue 20 also format, separator, private-use, unassigned).
fn name(max: usize) -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9@. _+%&=?#/-]{1,30}", "[а-яА-ЯёЁ ]{1,20}", any::<String>(),]
        .prop_map(|s| s.chars().filter(|&c| c != ':' && uri::is_name_char(c)).collect::<String>())
        .prop_filter("1 to max bytes", move |s| !s.is_empty() && s.len() <= max)
}
