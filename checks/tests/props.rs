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

#[path = "../../tests/support/mod.rs"]
mod support;

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
        0u8..=6,
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

// ---------------------------------------------------------------- link codes

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn link_parse_takes_any_text(s in hostile()) {
        match link::parse(&s) {
            Ok(id) => prop_assert!(id <= link::MAX_RECORD_ID),
            Err(e) => prop_assert_eq!(e, Error::Mistyped),
        }
    }

    /// 25 random symbols parse exactly when the independent check says the code is valid, and
    /// then give the record id in bits 76..116 of the data.
    #[test]
    fn link_parse_agrees_with_an_independent_check(
        values in proptest::array::uniform25(0u8..32),
        fix in any::<bool>(),
    ) {
        let values = if fix { support::with_check(values[..24].try_into().unwrap()) } else { values };
        let text = support::render(&values);
        let want = (support::checksum(&values) == 0)
            .then(|| u64::try_from((support::bits(&values) >> 76) & u128::from(link::MAX_RECORD_ID)).unwrap());
        prop_assert_eq!(link::parse(&text).ok(), want);
        prop_assert_eq!(link::parse(&text.to_lowercase()).ok(), want);
        prop_assert_eq!(link::parse(&text.replace('-', "")).ok(), want);
        if fix {
            prop_assert!(want.is_some());
        }
    }

    /// issue → parse gives the record id; the display form is five groups of the alphabet;
    /// sloppy typing parses the same; redeem works once.
    #[test]
    fn link_issue_parse_redeem_round_trip(
        record_id in prop_oneof![Just(0u64), Just(link::MAX_RECORD_ID), 0..=link::MAX_RECORD_ID],
        now in (link::EPOCH + 16 * 366 * 86_400)..(link::EPOCH + 31 * 365 * 86_400),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, record_id, &kid, now, &mut st, &mut rng(seed)).unwrap();
        let text = code.as_str().to_owned();
        prop_assert!(support::symbols(&text).is_some_and(|v| support::checksum(&v) == 0), "{}", text);
        prop_assert_eq!(text.len(), link::DISPLAY_LEN);
        prop_assert!(text.split('-').all(|g| g.len() == 5));
        prop_assert_eq!(link::parse(&text), Ok(record_id));
        let sloppy = text.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        prop_assert_eq!(link::parse(&sloppy), Ok(record_id));
        prop_assert_eq!(link::redeem(&ctx, &sloppy, &kid, now + 1, &mut st), Ok(()));
        prop_assert_eq!(link::redeem(&ctx, &text, &kid, now + 2, &mut st), Err(Error::AlreadyUsed));
    }

    /// Any single substitution and any transposition of neighbours is caught by the check
    /// symbol, and redeem then reports MISTYPED without counting or changing anything.
    #[test]
    fn link_typos_are_always_detected(
        record_id in 0..=link::MAX_RECORD_ID,
        seed in any::<u64>(),
        pos in 0usize..25,
        delta in 1u8..32,
    ) {
        let ctx = ctx();
        let kid = Child::new("Петрова Анна", "2018-12-31", "F", "11223344595");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, record_id, &kid, T0, &mut st, &mut rng(seed)).unwrap();
        let good = support::symbols(code.as_str()).unwrap();
        let mut sub = good;
        sub[pos] ^= delta;
        let typo = support::render(&sub);
        prop_assert_eq!(link::parse(&typo), Err(Error::Mistyped));
        let before = st;
        prop_assert_eq!(link::redeem(&ctx, &typo, &kid, T0 + 1, &mut st), Err(Error::Mistyped));
        prop_assert_eq!(State::decode(&st, Kind::Link).unwrap().failures, 0);
        prop_assert_eq!(State::decode(&before, Kind::Link).unwrap(), State::decode(&st, Kind::Link).unwrap());
        let p = pos.min(23);
        if good[p] != good[p + 1] {
            let mut swapped = good;
            swapped.swap(p, p + 1);
            prop_assert_eq!(link::parse(&support::render(&swapped)), Err(Error::Mistyped));
        }
        // Dropping or repeating a symbol changes the length.
        let mut dropped = support::render(&good).replace('-', "");
        dropped.remove(pos);
        prop_assert_eq!(link::parse(&dropped), Err(Error::Mistyped));
    }

    #[test]
    fn link_redeem_takes_any_input(
        code in prop_oneof![hostile(), any::<u128>().prop_map(|b| support::code_of(b >> 8))],
        fields in child_fields(),
        now in time(),
        st in blob(),
    ) {
        let _ = redeem_checked(&ctx(), &code, &fields, now, st)?;
    }

    /// A real blob with bytes flipped, redeemed with the real code or a forged one.
    #[test]
    fn link_redeem_with_damaged_real_blobs(
        seed in any::<u64>(),
        forged in any::<bool>(),
        flips in flips(),
        later in 0u64..2_000,
        fields in child_fields(),
    ) {
        let ctx = ctx();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, 42, &kid, T0, &mut st, &mut rng(seed)).unwrap();
        let _ = link::issue_with_rng(&ctx, 42, &child(&fields), T0 + 1, &mut st, &mut rng(seed + 1));
        let text = if forged {
            let v = support::symbols(code.as_str()).unwrap();
            support::code_of(support::bits(&v) ^ 1)
        } else {
            code.as_str().to_owned()
        };
        let damaged = flip(st, &flips);
        let (r, _) = redeem_checked(&ctx, &text, &fields, T0 + later, damaged)?;
        if forged {
            prop_assert_ne!(r, Ok(()), "a forged tag was accepted");
        }
    }

    #[test]
    fn link_issue_takes_any_input(
        record_id in prop_oneof![0..=link::MAX_RECORD_ID, any::<u64>()],
        fields in child_fields(),
        now in time(),
        st in blob(),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = link::issue_with_rng(&ctx, record_id, &child(&fields), now, &mut st, &mut rng(seed));
        let r = r.map(|c| c.as_str().to_owned());
        check_flow(&r, LINK_ISSUE_ERRORS, Kind::Link, &before, &st, true, now)?;
        if let Ok(text) = &r {
            prop_assert_eq!(link::parse(text), Ok(record_id));
            prop_assert_eq!(link::redeem(&ctx, text, &child(&fields), now, &mut st), Ok(()));
        }
    }

    /// Child data: documented errors, validate and fingerprint agree, Debug shows presence only.
    #[test]
    fn child_data_takes_any_text(fields in child_fields(), now in time()) {
        let c = child(&fields);
        let v = c.validate(now);
        let f = c.fingerprint(&Context::new(&[0x42; 32], 1).unwrap(), now);
        if let Err(e) = v {
            prop_assert!(CHILD_ERRORS.contains(&e), "{e:?}");
        }
        prop_assert_eq!(v, f.map(|_| ()));
        let m = c.check().err().unwrap_or(0);
        prop_assert_ne!(c.check(), Err(0));
        prop_assert_eq!(m & !0xF, 0);
        if m != 0 {
            prop_assert_eq!(v, Err(Error::MissingField));
        }
        let shown = |bit: u32| if m & bit == 0 { "present" } else { "missing" };
        let want = format!(
            "Child {{ full_name: {:?}, birth_date: {:?}, sex: {:?}, snils: {:?} }}",
            shown(link::FIELD_FULL_NAME), shown(link::FIELD_BIRTH_DATE), shown(link::FIELD_SEX), shown(link::FIELD_SNILS),
        );
        prop_assert_eq!(format!("{c:?}"), want);
    }
}

// ---------------------------------------------------------------- SMS / e-mail codes

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn otp_verify_takes_any_input(
        purpose in prop_oneof![Just("login".to_owned()), hostile()],
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let _ = otp_verify_checked(&ctx(), &purpose, &code, now, st)?;
    }

    #[test]
    fn otp_issue_takes_any_input(
        purpose in prop_oneof![Just("login".to_owned()), hostile()],
        now in time(),
        st in blob(),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = otp::issue_with_rng(&ctx, &purpose, now, &mut st, &mut rng(seed)).map(|c| c.as_str().to_owned());
        check_flow(&r, OTP_ISSUE_ERRORS, Kind::Otp, &before, &st, !purpose.is_empty(), now)?;
        if let Ok(code) = &r {
            prop_assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
            let (v, _) = otp_verify_checked(&ctx, &purpose, code, now, st)?;
            // At the end of time the expiry saturates: a code issued then is already expired.
            let want = if now.checked_add(ctx.policy().otp_ttl_seconds).is_some() { Ok(()) } else { Err(Error::Expired) };
            prop_assert_eq!(v, want);
        }
    }

    /// After a real issue: only the code itself (with any spaces) is accepted; anything else is
    /// MISTYPED or WRONG; damaged blobs behave as documented.
    #[test]
    fn otp_real_code_against_hostile_input(
        seed in any::<u64>(),
        input in hostile(),
        spaces in vec(0usize..6, 0..4),
        flips in flips(),
        digits in 4u64..=8,
    ) {
        let mut ctx = ctx();
        ctx.set(Setting::OtpDigits, digits).unwrap();
        let mut st = [0u8; STATE_BYTES];
        let code = otp::issue_with_rng(&ctx, "login", T0, &mut st, &mut rng(seed)).unwrap();
        let (r, after) = otp_verify_checked(&ctx, "login", &input, T0 + 5, st)?;
        if input.replace(' ', "") == code.as_str() {
            prop_assert_eq!(r, Ok(()));
        } else {
            prop_assert!(matches!(r, Err(Error::Mistyped | Error::Wrong)), "{r:?}");
            if r == Err(Error::Mistyped) {
                prop_assert_eq!(after, st, "MISTYPED is not recorded");
            }
        }
        let (r, _) = otp_verify_checked(&ctx, "login", &spaced(code.as_str(), &spaces), T0 + 5, st)?;
        prop_assert_eq!(r, Ok(()));
        let _ = otp_verify_checked(&ctx, "login", code.as_str(), T0 + 5, flip(st, &flips))?;
    }
}

// ---------------------------------------------------------------- TOTP / HOTP

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn totp_verify_takes_any_input(
        secret in vec(any::<u8>(), 0..80),
        p in params(),
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = totp::time::verify(&ctx, &secret, &p, &code, now, &mut st);
        let secret_ok = (totp::MIN_SECRET_BYTES..=totp::MAX_SECRET_BYTES).contains(&secret.len());
        check_flow(&r, TOTP_VERIFY_ERRORS, Kind::Totp, &before, &st, secret_ok, now)?;
        if !secret_ok {
            prop_assert_eq!(r, Err(Error::InvalidArgument));
        }
        if let Ok(drift) = r {
            prop_assert!(drift.abs() <= 1, "drift {drift} outside the default window");
        }
        prop_assert!(totp::time::last_step(&st).is_ok() || totp::time::last_step(&before).is_err());
    }

    #[test]
    fn totp_code_verifies_once(secret in vec(any::<u8>(), 10..=64), p in params(), now in valid_time()) {
        let ctx = ctx();
        let c = totp::time::code(&secret, &p, now).unwrap();
        prop_assert_eq!(c.as_str().len(), p.digits() as usize);
        let mut st = [0u8; STATE_BYTES];
        prop_assert_eq!(totp::time::verify(&ctx, &secret, &p, c.as_str(), now, &mut st), Ok(0));
        prop_assert_eq!(totp::time::verify(&ctx, &secret, &p, c.as_str(), now, &mut st), Err(Error::AlreadyUsed));
        prop_assert_eq!(totp::time::last_step(&st), Ok(Some(totp::time::step(now, &p))));
    }

    #[test]
    fn hotp_verify_takes_any_input(
        secret in vec(any::<u8>(), 0..80),
        alg in algorithm(),
        digits in prop_oneof![6u32..=8, any::<u32>()],
        code in hostile(),
        now in time(),
        st in blob(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = totp::hotp::verify(&ctx, &secret, alg, digits, &code, now, &mut st);
        let args_ok = (10..=64).contains(&secret.len()) && (6..=8).contains(&digits);
        check_flow(&r, TOTP_VERIFY_ERRORS, Kind::Hotp, &before, &st, args_ok, now)?;
        if !args_ok {
            prop_assert_eq!(r, Err(Error::InvalidArgument));
        }
        if let (Ok(at), Ok(s)) = (r, State::decode(&before, Kind::Hotp)) {
            let next = u64::from_le_bytes(s.payload[..8].try_into().unwrap());
            prop_assert!(at >= next && at <= next.saturating_add(10), "counter {at} outside next {next} + 10");
        }
    }
}

// ---------------------------------------------------------------- base32 and otpauth URIs

/// RFC 4648 base32, decoded bit by bit (reference for the library's decoder); `None` for
/// anything but symbols (either case), space/tab/CR/LF and trailing `=`.
fn reference_base32(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches(|c| c == '=' || " \t\r\n".contains(c));
    let mut bits = Vec::new();
    for c in body.chars() {
        if " \t\r\n".contains(c) {
            continue;
        }
        let v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c.to_ascii_uppercase())?;
        bits.extend((0..5).rev().map(|i| (v >> i) & 1 == 1));
    }
    if matches!((bits.len() / 5) % 8, 1 | 3 | 6) {
        return None;
    }
    Some(bits.chunks_exact(8).map(|b| b.iter().fold(0u8, |a, &x| (a << 1) | u8::from(x))).collect())
}

/// Characters valid in an issuer or account name: no `:` and none that `uri::is_name_char`
/// refuses (controls; since issue 20 also format, separator, private-use, unassigned).
fn name(max: usize) -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9@. _+%&=?#/-]{1,30}", "[а-яА-ЯёЁ ]{1,20}", any::<String>(),]
        .prop_map(|s| s.chars().filter(|&c| c != ':' && uri::is_name_char(c)).collect::<String>())
        .prop_filter("1 to max bytes", move |s| !s.is_empty() && s.len() <= max)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn base32_round_trip(
        data in vec(any::<u8>(), 0..100),
        lower in any::<bool>(),
        pad in any::<bool>(),
        spaces in vec(0usize..160, 0..5),
    ) {
        let mut out = vec![0u8; base32::encoded_len(data.len())];
        let text = base32::encode(&data, &mut out).unwrap().to_owned();
        prop_assert_eq!(reference_base32(&text), Some(data.clone()));
        let mut typed = if lower { text.to_lowercase() } else { text.clone() };
        if pad {
            while typed.len() % 8 != 0 {
                typed.push('=');
            }
        }
        let typed = spaced(&typed, &spaces);
        let mut back = vec![0u8; data.len()];
        prop_assert_eq!(base32::decode(&typed, &mut back), Ok(data.len()));
        prop_assert_eq!(&back, &data);
        prop_assert_eq!(base32::RFC4648.decoded_len(typed.as_bytes()), Ok(data.len()));
        if !data.is_empty() {
            let mut short = vec![0u8; data.len() - 1];
            prop_assert_eq!(base32::decode(&typed, &mut short), Err(Error::BufferTooSmall));
            let mut tiny = vec![0u8; text.len() - 1];
            prop_assert_eq!(base32::encode(&data, &mut tiny), Err(Error::BufferTooSmall));
        }
    }

    #[test]
    fn base32_decode_takes_any_text(
        text in prop_oneof![hostile(), "[A-Za-z2-7 =\\t\\r\\n]{0,60}"],
        room in 0usize..64,
    ) {
        let mut big = vec![0u8; text.len()];
        let full = base32::decode(&text, &mut big);
        match &full {
            Ok(n) => {
                let want = reference_base32(&text);
                prop_assert_eq!(want.as_deref(), Some(&big[..*n]), "reference disagrees");
            }
            Err(e) => prop_assert_eq!(*e, Error::InvalidArgument),
        }
        prop_assert_eq!(base32::RFC4648.decoded_len(text.as_bytes()), full);
        let mut small = vec![0u8; room];
        let r = base32::decode(&text, &mut small);
        match full {
            Ok(n) if n <= room => prop_assert_eq!(r, Ok(n)),
            Ok(_) => prop_assert_eq!(r, Err(Error::BufferTooSmall)),
            Err(_) => prop_assert!(matches!(r, Err(Error::InvalidArgument | Error::BufferTooSmall))),
        }
    }

    #[test]
    fn otpauth_parse_takes_any_text(
        s in prop_oneof![
            hostile(),
            (hostile(), hostile()).prop_map(|(a, b)| format!("otpauth://totp/{a}?{b}")),
            ("[a-zA-Z0-9:%@ ]{0,20}", "[a-z]{0,9}", "[A-Za-z2-7=%0-9]{0,40}", "[a-zA-Z0-9=&%]{0,30}")
                .prop_map(|(l, k, v, rest)| format!("otpauth://hotp/{l}?{k}={v}&{rest}")),
        ],
    ) {
        match uri::parse(&s) {
            Ok(e) => {
                prop_assert!((10..=64).contains(&e.secret().len()));
                prop_assert!(!e.account().is_empty() && e.account().len() <= uri::MAX_ACCOUNT_BYTES);
                prop_assert!(e.issuer().is_none_or(|i| i.len() <= uri::MAX_ISSUER_BYTES));
                prop_assert!((6..=8).contains(&e.params().digits()));
                prop_assert!((1..=3600).contains(&e.params().period()));
                let dbg = format!("{e:?}");
                let mut b32 = [0u8; 128];
                let secret = base32::encode(e.secret(), &mut b32).unwrap();
                prop_assert!(!dbg.contains(secret), "Debug shows the secret");
                // One name rule for both directions: whatever parse accepts, build accepts.
                let mut buf = [0u8; uri::URI_BYTES];
                let issuer = e.issuer().unwrap_or("x");
                prop_assert!(uri::build(e.secret(), issuer, e.account(), &e.params(), &mut buf).is_ok(), "{}", s);
            }
            Err(e) => prop_assert_eq!(e, Error::InvalidArgument),
        }
    }

    /// build → parse gives back the secret, issuer, account and parameters.
    #[test]
    fn otpauth_build_parse_round_trip(
        secret in vec(any::<u8>(), 10..=64),
        issuer in name(uri::MAX_ISSUER_BYTES),
        account in name(uri::MAX_ACCOUNT_BYTES),
        p in params(),
        room in 0usize..200,
    ) {
        let mut buf = [0u8; uri::URI_BYTES];
        // Readers drop spaces after the label's colon, so build refuses an account starting
        // with one (it used to accept it and produce a URI that parse rejected or changed).
        let spaced_account = format!(" {account}");
        if spaced_account.len() <= uri::MAX_ACCOUNT_BYTES {
            prop_assert_eq!(uri::build(&secret, &issuer, &spaced_account, &p, &mut buf).err(), Some(Error::InvalidArgument));
        }
        let account = account.trim_start_matches(' ');
        prop_assume!(!account.is_empty());
        let text = uri::build(&secret, &issuer, account, &p, &mut buf).unwrap().to_owned();
        let e = uri::parse(&text).unwrap();
        prop_assert_eq!(e.otp_type(), uri::OtpType::Totp);
        prop_assert_eq!(e.secret(), &secret[..]);
        prop_assert_eq!(e.issuer(), Some(issuer.as_str()));
        prop_assert_eq!(e.account(), account);
        prop_assert_eq!(e.params(), p);
        let mut small = vec![0u8; text.len().saturating_sub(room + 1)];
        prop_assert_eq!(uri::build(&secret, &issuer, account, &p, &mut small).err(), Some(Error::BufferTooSmall));
    }

    /// Issue 20: a valid name with one refused character inserted anywhere (a bidi override, a
    /// zero-width character, U+2028, the BOM, a tag, private-use or unassigned) is refused by
    /// `build` (as issuer and as account) and by `parse` (percent-encoded in the label).
    #[test]
    fn otpauth_names_with_a_refused_character_are_refused(
        name in name(40),
        at in any::<prop::sample::Index>(),
        bad in prop_oneof![
            Just('\u{202E}'), Just('\u{200B}'), Just('\u{200D}'), Just('\u{2028}'), Just('\u{2029}'),
            Just('\u{FEFF}'), Just('\u{E0041}'), Just('\u{E000}'), Just('\u{F0000}'), Just('\u{0378}'),
            any::<char>().prop_filter("refused", |&c| !uri::is_name_char(c)),
        ],
    ) {
        let mut chars: Vec<char> = name.chars().collect();
        chars.insert(at.index(chars.len() + 1), bad);
        let bad_name: String = chars.into_iter().collect();
        let mut buf = [0u8; uri::URI_BYTES];
        let p = Params::default();
        prop_assert_eq!(uri::build(&[1; 20], &bad_name, "alice", &p, &mut buf).err(), Some(Error::InvalidArgument));
        prop_assert_eq!(uri::build(&[1; 20], "Portal", &bad_name, &p, &mut buf).err(), Some(Error::InvalidArgument));
        let enc: String = bad_name.bytes().map(|b| format!("%{b:02X}")).collect();
        let secret = "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        for uri_text in [
            format!("otpauth://totp/{enc}:alice?{secret}"),
            format!("otpauth://totp/Portal:{enc}?{secret}"),
            format!("otpauth://totp/alice?{secret}&issuer={enc}"),
        ] {
            prop_assert_eq!(uri::parse(&uri_text).err(), Some(Error::InvalidArgument), "{}", uri_text);
        }
    }

    #[test]
    fn otpauth_build_takes_any_names(
        secret in vec(any::<u8>(), 0..80),
        issuer in hostile(),
        account in hostile(),
        p in params(),
    ) {
        let mut buf = [0u8; uri::URI_BYTES];
        match uri::build(&secret, &issuer, &account, &p, &mut buf) {
            Ok(text) => {
                let text = text.to_owned();
                prop_assert!(uri::parse(&text).is_ok(), "{}", text);
            }
            Err(e) => prop_assert_eq!(e, Error::InvalidArgument),
        }
    }
}

// ---------------------------------------------------------------- state blobs, misc.

proptest! {
    #![proptest_config(config(512))]

    /// retry_at and reset on any bytes of any length: CORRUPT_STATE exactly when no kind can
    /// decode them (then untouched); reset clears failures and lock and keeps everything else.
    #[test]
    fn retry_at_and_reset_take_any_bytes(
        bytes in prop_oneof![blob().prop_map(|b| b.to_vec()), vec(any::<u8>(), 0..130)],
        now in valid_time(),
        bad_now in prop_oneof![Just(0u64), (portal_codes::clock::MAX_NOW + 1)..=u64::MAX],
    ) {
        prop_assert_eq!(portal_codes::retry_at(&bytes, bad_now), Err(Error::InvalidArgument));
        let decoded = State::decode_any(&bytes);
        let r = portal_codes::retry_at(&bytes, now);
        let mut b = bytes.clone();
        let z = portal_codes::reset(&mut b);
        match decoded {
            Err(e) => {
                prop_assert_eq!(e, Error::CorruptState);
                prop_assert_eq!(r, Err(Error::CorruptState));
                prop_assert_eq!(z, Err(Error::CorruptState));
                prop_assert_eq!(&b, &bytes);
            }
            Ok(None) => {
                prop_assert_eq!((r, z), (Ok(0), Ok(())));
                prop_assert_eq!(&b, &bytes);
            }
            Ok(Some(s)) => {
                let t = s.locked_until.max(s.wait_until);
                prop_assert_eq!(r, Ok(if t > now { t } else { 0 }));
                prop_assert_eq!(z, Ok(()));
                // A PIN blob's pending attempts go with its failures; a state equal to the
                // fresh one is written as zeros.
                let payload = if s.kind() == Kind::Pin { [0; 40] } else { s.payload };
                match State::decode_any(&b).unwrap() {
                    Some(after) => {
                        prop_assert_eq!((after.kind(), after.failures, after.locked_until), (s.kind(), 0, 0));
                        prop_assert_eq!((after.wait_until, after.payload), (s.wait_until, payload));
                    }
                    None => prop_assert!(s.wait_until == 0 && payload == [0; 40]),
                }
                let again = b.clone();
                prop_assert_eq!(portal_codes::reset(&mut b), Ok(()));
                prop_assert_eq!(&b, &again, "reset is idempotent");
                prop_assert_eq!(portal_codes::retry_at(&b, now), Ok(if s.wait_until > now { s.wait_until } else { 0 }));
            }
        }
    }

    /// revoke and events on any bytes: CORRUPT_STATE exactly when no kind can decode them (the
    /// blob then untouched); otherwise the kind and the header (failures, lock, wait) are kept,
    /// the result decodes, revoking again changes nothing, and the pair shows no event.
    #[test]
    fn revoke_and_events_take_any_bytes(
        bytes in prop_oneof![blob().prop_map(|b| b.to_vec()), vec(any::<u8>(), 0..130)],
        what in 1u32..=3,
        now in valid_time(),
    ) {
        use portal_codes::state::{events, revoke};
        let ctx = Context::new(&[0x42; 32], 1).unwrap();
        let decoded = State::decode_any(&bytes);
        let mut b = bytes.clone();
        let r = revoke(&mut b, what);
        match decoded {
            Err(e) => {
                prop_assert_eq!((e, r), (Error::CorruptState, Err(Error::CorruptState)));
                prop_assert_eq!(&b, &bytes);
                let fresh = [0u8; STATE_BYTES];
                prop_assert!(events(&ctx, &bytes, &fresh, now).is_err());
                prop_assert!(events(&ctx, &fresh, &bytes, now).is_err());
            }
            Ok(before) => {
                prop_assert_eq!(r, Ok(()));
                let after = State::decode_any(&b).unwrap();
                let header = |s: &Option<State>| s.as_ref().map(|s| (s.kind(), s.failures, s.locked_until, s.wait_until));
                match (&before, &after) {
                    (Some(_), Some(_)) => prop_assert_eq!(header(&before), header(&after)),
                    (Some(s), None) => prop_assert!(s.failures == 0 && s.locked_until == 0 && s.wait_until == 0),
                    (None, a) => prop_assert!(a.is_none()),
                }
                let once = b.clone();
                prop_assert_eq!(revoke(&mut b, what), Ok(()));
                prop_assert_eq!(&b, &once, "revoking twice is revoking once");
                prop_assert_eq!(events(&ctx, &bytes, &b, now).map(|e| e.flags), Ok(0));
            }
        }
    }

    /// A blob decodes for at most one kind, and the kind-specific readers agree with it.
    #[test]
    fn state_decode_is_exclusive(st in blob()) {
        let kinds = Kind::ALL;
        let ok: Vec<_> = kinds.iter().filter(|&&k| State::decode(&st, k).is_ok()).collect();
        if st == [0; STATE_BYTES] {
            prop_assert_eq!(ok.len(), kinds.len());
        } else {
            prop_assert!(ok.len() <= 1);
            if let [k] = ok[..] {
                // A blob of an earlier layout is read upgraded and written as the current one.
                let s = State::decode(&st, *k).unwrap();
                let written = s.encode();
                if st[1] == portal_codes::state::VERSION {
                    prop_assert_eq!(written, st);
                } else {
                    prop_assert_eq!(written[1], portal_codes::state::VERSION);
                    prop_assert_eq!(State::decode(&written, *k).unwrap(), s);
                }
            }
        }
        for k in kinds {
            if let Err(e) = State::decode(&st, k) {
                prop_assert_eq!(e, Error::CorruptState);
            }
        }
        let r = totp::time::last_step(&st);
        if r.is_ok() {
            prop_assert!(State::decode(&st, Kind::Totp).is_ok());
        }
        if State::decode(&st, Kind::Totp).is_err() {
            prop_assert_eq!(r, Err(Error::CorruptState));
        }
    }

    #[test]
    fn ct_eq_is_equality(a in vec(any::<u8>(), 0..40), b in vec(any::<u8>(), 0..40), same in any::<bool>()) {
        let b = if same { a.clone() } else { b };
        prop_assert_eq!(mac::ct_eq(&a, &b), a == b);
    }

    /// Context set-up and the status tables take any values.
    #[test]
    fn context_and_status_take_any_values(
        master in vec(any::<u8>(), 0..100),
        key_id in prop_oneof![0u32..20, any::<u32>()],
        setting in prop_oneof![0i32..16, any::<i32>()],
        value in prop_oneof![0u64..20_000, any::<u64>()],
        code in prop_oneof![0i32..1000, any::<i32>()],
        tag in hostile(),
    ) {
        let good = (32..=64).contains(&master.len()) && key_id <= 15;
        let c = Context::new(&master, key_id);
        prop_assert_eq!(c.as_ref().err(), if good { None } else { Some(&Error::BadKey) });
        let mut ctx = ctx();
        if let Some(s) = Setting::from_id(setting) {
            let before = ctx.get(s);
            let (lo, hi) = s.range();
            match ctx.set(s, value) {
                Ok(()) => {
                    prop_assert!((lo..=hi).contains(&value));
                    prop_assert_eq!(ctx.get(s), value);
                }
                Err(e) => {
                    prop_assert_eq!(e, Error::InvalidArgument);
                    prop_assert_eq!(ctx.get(s), before);
                }
            }
        }
        let name = portal_codes::error::status_name(code);
        prop_assert!(name.starts_with("PCODES_STATUS_"));
        let lang = Lang::from_tag(&tag);
        prop_assert!(!portal_codes::error::status_message(code, lang).is_empty());
        prop_assert_eq!(Error::from_code(code).map(Error::code), Error::from_code(code).map(|_| code));
    }
}

// ---------------------------------------------------------------- PINs

/// A context with the lowest PBKDF2 iteration count, so that debug builds stay quick.
fn pin_ctx() -> Context {
    let mut c = ctx();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// One real stored hash: PIN "4831" of account "acct-1".
fn real_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        pin::hash_with_rng(&pin_ctx(), "acct-1", "4831", &mut rng(1)).unwrap().as_str().to_owned()
    })
}

/// Stored strings: hostile text, and the real hash with one character substituted (which keeps
/// the iteration count at five digits, so no case costs more than 10x the real one).
fn stored_hash() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => hostile(),
        1 => (any::<proptest::sample::Index>(), "[0-9A-Za-z+/=$,.]").prop_map(|(at, c)| {
            let mut s: Vec<char> = real_hash().chars().collect();
            let i = at.index(s.len());
            s[i] = c.chars().next().unwrap();
            s.into_iter().collect()
        }),
        1 => Just(String::new()).prop_map(|_| real_hash().to_owned()),
    ]
}

fn pin_input() -> impl Strategy<Value = String> {
    prop_oneof![Just("4831".to_owned()), "[0-9]{4}", "[0-9]{6}", hostile()]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn pin_check_takes_any_input(
        pin in pin_input(),
        same in any::<bool>(),
        confirm in pin_input(),
        birth in proptest::option::of(prop_oneof![Just("1990-04-12".to_owned()), "[0-9]{4}-[0-9]{2}-[0-9]{2}", hostile()]),
        lengths in prop_oneof![Just(16u64), Just(64), Just(80)],
    ) {
        let mut ctx = ctx();
        ctx.set(Setting::PinLengths, lengths).unwrap();
        let confirm = if same { pin.clone() } else { confirm };
        let r = pin::check_reason(&ctx, &pin, &confirm, birth.as_deref());
        prop_assert_eq!(pin::check(&ctx, &pin, &confirm, birth.as_deref()), r.map_err(|(e, _)| e));
        match r {
            Ok(()) => {
                prop_assert!(pin.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(lengths & (1 << pin.len()) != 0);
                prop_assert_eq!(&pin, &confirm);
            }
            Err((e, w)) => {
                prop_assert!(
                    [Error::PinFormat, Error::PinMismatch, Error::InvalidBirthDate, Error::PinWeak].contains(&e),
                    "{e:?}"
                );
                prop_assert_eq!(w.is_some(), e == Error::PinWeak);
            }
        }
        let b = birth.as_deref().map(pin::BirthDate::parse);
        if let Some(Err(e)) = b {
            prop_assert_eq!(e, Error::InvalidBirthDate);
        }
        if let Some(Ok(d)) = b {
            prop_assert_eq!(format!("{d:?}"), "BirthDate(..)");
        }
        let w = pin::weakness(&pin, b.and_then(Result::ok));
        if w.is_some() {
            prop_assert!((pin.len() == 4 || pin.len() == 6) && pin.bytes().all(|b| b.is_ascii_digit()));
        }
    }

}

// PBKDF2 runs in these (10,000 iterations, ~60 ms in a debug build): few cases by default.
proptest! {
    #![proptest_config(config(32))]

    /// Any stored string, PIN and blob: documented errors only, CORRUPT_STATE untouched, OK only
    /// for the real hash and PIN; the other entry points agree on malformed strings.
    #[test]
    fn pin_verify_takes_any_input(
        stored in stored_hash(),
        pin in pin_input(),
        account in prop_oneof![Just("acct-1".to_owned()), hostile()],
        now in time(),
        st in prop_oneof![Just([0u8; STATE_BYTES]), blob()],
    ) {
        let ctx = pin_ctx();
        let malformed = pin::params(&stored).is_err();
        if malformed {
            prop_assert_eq!(pin::params(&stored).err(), Some(Error::MalformedHash));
            prop_assert_eq!(pin::needs_rehash(&ctx, &stored), Err(Error::MalformedHash));
        }
        let mut b = st;
        let r = pin::verify(&ctx, &account, &pin, &stored, now, &mut b);
        check_flow(&r, PIN_VERIFY_ERRORS, Kind::Pin, &st, &b, true, now)?;
        if r.is_ok() {
            prop_assert!(stored == real_hash() && pin == "4831" && account == "acct-1");
        }
        let now_ok = portal_codes::clock::check(now).is_ok();
        if malformed && now_ok && r != Err(Error::CorruptState) && !matches!(r, Err(Error::Locked | Error::Blocked)) {
            // The PIN's format is checked before anything that depends on the account.
            let format_ok = matches!(pin.len(), 4 | 6) && pin.bytes().all(|b| b.is_ascii_digit());
            prop_assert_eq!(r, Err(if format_ok { Error::MalformedHash } else { Error::PinFormat }));
        }
        // Two phases on a copy: begin never computes, finish only after begin.
        let mut b = st;
        let r1 = pin::verify_begin(&ctx, &pin, &stored, now, &mut b);
        check_flow(&r1, PIN_VERIFY_ERRORS, Kind::Pin, &st, &b, true, now)?;
        prop_assert_ne!(r1, Err(Error::Wrong));
        if r1.is_ok() {
            let before = b;
            let r2 = pin::verify_finish(&ctx, &account, &pin, &stored, now, &mut b);
            check_flow(&r2, PIN_VERIFY_ERRORS, Kind::Pin, &before, &b, true, now)?;
            prop_assert_eq!(r2.is_ok(), r.is_ok());
        }
    }

}

proptest! {
    #![proptest_config(config(6))]

    /// hash → verify round trip, the parameters it declares, and a wrong PIN.
    #[test]
    fn pin_hash_verify_round_trip(pin in "[0-9]{4}|[0-9]{6}", account in name(64), seed in any::<u64>()) {
        let ctx = pin_ctx();
        let h = pin::hash_with_rng(&ctx, &account, &pin, &mut rng(seed)).unwrap();
        let p = pin::params(h.as_str()).unwrap();
        prop_assert_eq!((p.iterations, p.length as usize, p.key_id), (10_000, pin.len(), 3));
        prop_assert_eq!(pin::needs_rehash(&ctx, h.as_str()), Ok(false));
        let mut st = [0u8; STATE_BYTES];
        prop_assert_eq!(pin::verify(&ctx, &account, &pin, h.as_str(), T0, &mut st), Ok(()));
        let other = change_first_digit(&pin);
        prop_assert_eq!(pin::verify(&ctx, &account, &other, h.as_str(), T0, &mut st), Err(Error::Wrong));
        prop_assert!(!format!("{h:?}").contains(&h.as_str()[h.as_str().len() - 43..]), "Debug shows the tag");
    }
}

fn change_first_digit(pin: &str) -> String {
    let mut b = pin.as_bytes().to_vec();
    b[0] = b'0' + (b[0] - b'0' + 1) % 10;
    String::from_utf8(b).unwrap()
}
