//! One-time codes sent by SMS or e-mail: the life of a code, the order of the verdicts, the
//! resend limits, the stored layout (cross-checked with Python's `hmac`), and the statistics of
//! the codes.

#[path = "support/python.rs"]
mod python;

use portal_codes::otp::{self, OtpCode};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, STATE_BYTES, Setting, retry_at};

const T0: u64 = 1_700_000_000;
const MASTER: [u8; 32] = [0x42; 32];

type Blob = [u8; STATE_BYTES];

fn ctx() -> Context {
    Context::new(&MASTER, 2).unwrap()
}

fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

/// A well-formed code of the same length that differs from every code in `avoid`.
fn other_than(avoid: &[&str]) -> String {
    let n = avoid[0].len();
    (0u64..).map(|v| format!("{v:0n$}")).find(|c| avoid.iter().all(|a| a != c)).unwrap()
}

fn issue(ctx: &Context, purpose: &str, now: u64, st: &mut Blob, r: &mut ChaCha20Rng) -> String {
    otp::issue_with_rng(ctx, purpose, now, st, r).unwrap().as_str().to_owned()
}

/// The full life of a code, with the default policy (6 digits, 300 s, 3 attempts, 60 s resend).
#[test]
fn full_life_of_a_code() {
    let ctx = ctx();
    let mut r = rng(1);
    let mut st: Blob = [0; STATE_BYTES];
    assert_eq!(otp::verify(&ctx, "login", "123456", T0, &mut st), Err(Error::NoChallenge));

    // Issue; a resend 30 s later is too soon, and retry_at says when.
    let first = issue(&ctx, "login", T0, &mut st, &mut r);
    assert_eq!(first.len(), 6);
    assert!(first.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(retry_at(&st, T0), Ok(T0 + 60));
    let before = st;
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0 + 30, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    assert_eq!(retry_at(&st, T0 + 30), Ok(T0 + 60));
    assert_eq!(st, before, "a refused resend changes nothing here");

    // Resend at 60 s: the first code is now superseded (and that is not counted).
    let second = issue(&ctx, "login", T0 + 60, &mut st, &mut r);
    assert_ne!(first, second, "seed chosen so that the two codes differ");
    assert_eq!(otp::verify(&ctx, "login", &first, T0 + 70, &mut st), Err(Error::Superseded));

    // A typo is MISTYPED and not counted.
    assert_eq!(otp::verify(&ctx, "login", &second[..5], T0 + 71, &mut st), Err(Error::Mistyped));
    assert_eq!(otp::verify(&ctx, "login", &format!("{second}0"), T0 + 71, &mut st), Err(Error::Mistyped));
    assert_eq!(
        otp::verify(&ctx, "login", &format!("{}O", &second[..5]), T0 + 71, &mut st),
        Err(Error::Mistyped)
    );

    // Three wrong tries exhaust the code; then even the right code is refused.
    let wrong = other_than(&[&first, &second]);
    for i in 0..3 {
        assert_eq!(otp::verify(&ctx, "login", &wrong, T0 + 80 + i, &mut st), Err(Error::Wrong), "try {i}");
    }
    assert_eq!(otp::verify(&ctx, "login", &second, T0 + 90, &mut st), Err(Error::AttemptsExhausted));

    // A new code, left to expire.
    let third = issue(&ctx, "login", T0 + 200, &mut st, &mut r);
    assert_eq!(otp::verify(&ctx, "login", &third, T0 + 200 + 300, &mut st), Err(Error::Expired));

    // A new code, typed with spaces: accepted. Retyping it: already used.
    let fourth = issue(&ctx, "login", T0 + 600, &mut st, &mut r);
    let spaced = format!("{} {}", &fourth[..3], &fourth[3..]);
    assert_eq!(otp::verify(&ctx, "login", &spaced, T0 + 610, &mut st), Ok(()));
    assert_eq!(otp::verify(&ctx, "login", &fourth, T0 + 611, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(
        otp::verify(&ctx, "login", &fourth, T0 + 5000, &mut st),
        Err(Error::Expired),
        "once expired, the used code answers like any other input"
    );

    // A code issued for a phone change is WRONG for a login, and the other way round.
    let phone = "phone-change:+79990001122";
    let fifth = issue(&ctx, phone, T0 + 700, &mut st, &mut r);
    assert_eq!(otp::verify(&ctx, "login", &fifth, T0 + 701, &mut st), Err(Error::Wrong));
    assert_eq!(otp::verify(&ctx, "phone-change:+79990001123", &fifth, T0 + 701, &mut st), Err(Error::Wrong));
    assert_eq!(otp::verify(&ctx, phone, &fifth, T0 + 702, &mut st), Ok(()));
}

/// Each verdict at its boundary, and which ones count.
#[test]
fn verdicts_and_their_boundaries() {
    let ctx = ctx();
    let mut r = rng(2);
    let mut st: Blob = [0; STATE_BYTES];
    let code = issue(&ctx, "login", T0, &mut st, &mut r);
    // Valid during [issued, issued + 300).
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "login", &code, T0 + 299, &mut s2), Ok(()));
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "login", &code, T0 + 300, &mut s2), Err(Error::Expired));
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "login", &code, T0 - 5, &mut s2), Ok(()), "slight clock skew back");
    // Expired wins over the attempt count and over WRONG: an expired code reveals nothing.
    let wrong = other_than(&[&code]);
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "login", &wrong, T0 + 300, &mut s2), Err(Error::Expired));
    // Expiry is read from the policy at verify time.
    let mut long = ctx.clone();
    long.set(Setting::OtpTtlSeconds, 3600).unwrap();
    let mut s2 = st;
    assert_eq!(otp::verify(&long, "login", &code, T0 + 3599, &mut s2), Ok(()));

    // Mistyped, superseded and exhausted are not counted by the lockout engine.
    let mut s2 = st;
    for _ in 0..20 {
        assert_eq!(otp::verify(&ctx, "login", "12345", T0 + 1, &mut s2), Err(Error::Mistyped));
    }
    assert_eq!(otp::verify(&ctx, "login", &code, T0 + 2, &mut s2), Ok(()));

    // OTP_MAX_ATTEMPTS = 1: the first WRONG exhausts the code.
    let mut one = ctx.clone();
    one.set(Setting::OtpMaxAttempts, 1).unwrap();
    let mut s2 = st;
    assert_eq!(otp::verify(&one, "login", &wrong, T0 + 1, &mut s2), Err(Error::Wrong));
    assert_eq!(otp::verify(&one, "login", &code, T0 + 1, &mut s2), Err(Error::AttemptsExhausted));
    assert_eq!(
        otp::verify(&one, "login", &wrong, T0 + 1, &mut s2),
        Err(Error::AttemptsExhausted),
        "not counted"
    );
    // After use, a wrong try still counts and exhausts: then the used code answers like any other.
    let mut s2 = st;
    assert_eq!(otp::verify(&one, "login", &code, T0 + 1, &mut s2), Ok(()));
    assert_eq!(otp::verify(&one, "login", &code, T0 + 1, &mut s2), Err(Error::AlreadyUsed));
    assert_eq!(otp::verify(&one, "login", &wrong, T0 + 1, &mut s2), Err(Error::Wrong));
    assert_eq!(otp::verify(&one, "login", &code, T0 + 1, &mut s2), Err(Error::AttemptsExhausted));
}

/// Regression (issue 13, flaw 2): a used code that has expired or run out of attempts used to
/// answer `ALREADY_USED` to the right code and `EXPIRED` / `ATTEMPTS_EXHAUSTED` to every other
/// input, uncounted: an unlimited oracle. Now every input gets the same answer there, and
/// while the code is live every input but the code itself is counted.
#[test]
fn used_code_is_no_uncounted_oracle() {
    let ctx = ctx();
    let mut r = rng(9);
    let mut st: Blob = [0; STATE_BYTES];
    let code = issue(&ctx, "login", T0, &mut st, &mut r);
    assert_eq!(otp::verify(&ctx, "login", &code, T0 + 1, &mut st), Ok(()));
    let failures =
        |b: &Blob| portal_codes::state::State::decode(b, portal_codes::state::Kind::Otp).unwrap().failures;
    // Live and used: the code is ALREADY_USED, anything else is WRONG and counted (3 attempts).
    let guesses: Vec<String> = (0..1000).map(|i| format!("{i:06}")).collect();
    for g in &guesses {
        let before = failures(&st);
        match otp::verify(&ctx, "login", g, T0 + 2, &mut st) {
            Err(Error::AlreadyUsed) => assert_eq!(g, &code),
            Err(Error::Wrong) => assert_eq!(failures(&st), before + 1),
            Err(Error::AttemptsExhausted) => {}
            other => panic!("{g}: {other:?}"),
        }
    }
    assert_eq!(failures(&st), 3, "three wrong tries, then exhausted");
    // Exhausted or expired: one answer for every input, the used code included; nothing counted.
    for (at, verdict) in [(T0 + 3, Error::AttemptsExhausted), (T0 + 300, Error::Expired)] {
        for g in guesses.iter().chain([&code]) {
            assert_eq!(otp::verify(&ctx, "login", g, at, &mut st), Err(verdict), "{g} at {at}");
        }
    }
    assert_eq!(failures(&st), 3);
}

/// Wrong tries feed the lockout engine (5 failures lock for 900 s), across codes; locked
/// states refuse both verify and issue; a success clears the count.
#[test]
fn wrong_tries_lock_across_codes() {
    let ctx = ctx();
    let mut r = rng(3);
    let mut st: Blob = [0; STATE_BYTES];
    let a = issue(&ctx, "login", T0, &mut st, &mut r);
    let wa = other_than(&[&a]);
    for _ in 0..3 {
        assert_eq!(otp::verify(&ctx, "login", &wa, T0 + 1, &mut st), Err(Error::Wrong));
    }
    let b = issue(&ctx, "login", T0 + 60, &mut st, &mut r);
    let wb = other_than(&[&a, &b]);
    assert_eq!(otp::verify(&ctx, "login", &wb, T0 + 61, &mut st), Err(Error::Wrong));
    assert_eq!(otp::verify(&ctx, "login", &wb, T0 + 62, &mut st), Err(Error::Wrong), "5th failure locks");
    assert_eq!(retry_at(&st, T0 + 62), Ok(T0 + 62 + 900));
    assert_eq!(otp::verify(&ctx, "login", &b, T0 + 63, &mut st), Err(Error::Locked));
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0 + 200, &mut st, &mut r).unwrap_err(), Error::Locked);
    let c = issue(&ctx, "login", T0 + 962, &mut st, &mut r);
    assert_eq!(otp::verify(&ctx, "login", &c, T0 + 963, &mut st), Ok(()));
    // The count was cleared: four more failures do not lock.
    let d = issue(&ctx, "login", T0 + 1100, &mut st, &mut r);
    let wd = other_than(&[&c, &d]);
    for _ in 0..3 {
        assert_eq!(otp::verify(&ctx, "login", &wd, T0 + 1101, &mut st), Err(Error::Wrong));
    }
    assert_eq!(retry_at(&st, T0 + 1101), Ok(T0 + 1160), "only the resend cooldown, not locked");
}

/// Only the code just replaced is recognised as SUPERSEDED; older ones are WRONG. A used code
/// that is replaced becomes SUPERSEDED.
#[test]
fn superseded_remembers_one_code() {
    let ctx = ctx();
    let mut r = rng(4);
    let mut st: Blob = [0; STATE_BYTES];
    let a = issue(&ctx, "login", T0, &mut st, &mut r);
    let b = issue(&ctx, "login", T0 + 60, &mut st, &mut r);
    let c = issue(&ctx, "login", T0 + 120, &mut st, &mut r);
    assert!(a != b && b != c && a != c);
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "login", &b, T0 + 130, &mut s2), Err(Error::Superseded));
    assert_eq!(otp::verify(&ctx, "login", &a, T0 + 130, &mut s2), Err(Error::Wrong));
    assert_eq!(otp::verify(&ctx, "login", &c, T0 + 130, &mut s2), Ok(()));
    // The superseded code for another purpose is just wrong.
    let mut s2 = st;
    assert_eq!(otp::verify(&ctx, "email-change", &b, T0 + 130, &mut s2), Err(Error::Wrong));
    // Used, then replaced.
    assert_eq!(otp::verify(&ctx, "login", &c, T0 + 130, &mut st), Ok(()));
    let d = issue(&ctx, "login", T0 + 180, &mut st, &mut r);
    assert_eq!(otp::verify(&ctx, "login", &c, T0 + 181, &mut st), Err(Error::Superseded));
    // Superseded is checked after the outstanding code's own state: exhausted wins.
    let wd = other_than(&[&c, &d]);
    for _ in 0..3 {
        assert_eq!(otp::verify(&ctx, "login", &wd, T0 + 182, &mut st), Err(Error::Wrong));
    }
    assert_eq!(otp::verify(&ctx, "login", &c, T0 + 183, &mut st), Err(Error::AttemptsExhausted));
    // A code replaced more than 65535 s later is no longer recognised (its tag is dropped).
    let mut st: Blob = [0; STATE_BYTES];
    let e = issue(&ctx, "login", T0, &mut st, &mut r);
    let f = issue(&ctx, "login", T0 + 65_536, &mut st, &mut r);
    assert_ne!(e, f);
    assert_eq!(otp::verify(&ctx, "login", &e, T0 + 65_537, &mut st), Err(Error::Wrong));
}

/// The rolling-hour limit with the default 5 sends per hour and 60 s cooldown, then with the
/// maximum of 10 and no cooldown.
#[test]
fn resend_limits() {
    let ctx = ctx();
    let mut r = rng(5);
    let mut st: Blob = [0; STATE_BYTES];
    let sends = [0, 60, 200, 1000, 1500];
    for (i, &t) in sends.iter().enumerate() {
        issue(&ctx, "login", T0 + t, &mut st, &mut r);
        let expect = if i < 4 { T0 + t + 60 } else { T0 + 3600 };
        assert_eq!(retry_at(&st, T0 + t), Ok(expect), "after send {i}");
    }
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0 + 3599, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    assert_eq!(retry_at(&st, T0 + 3599), Ok(T0 + 3600));
    issue(&ctx, "login", T0 + 3600, &mut st, &mut r);
    // Now the sends in the last hour are 60, 200, 1000, 1500, 3600: next at 60 + 3600.
    assert_eq!(retry_at(&st, T0 + 3600), Ok(T0 + 3660));
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0 + 3659, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    issue(&ctx, "login", T0 + 3660, &mut st, &mut r);
    assert_eq!(retry_at(&st, T0 + 3660), Ok(T0 + 3800));

    // Ten per hour, no cooldown: ten sends in the same second, the eleventh an hour later.
    let mut ten = ctx.clone();
    ten.set(Setting::OtpMaxSendsPerHour, 10).unwrap();
    ten.set(Setting::OtpResendSeconds, 0).unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    for i in 0..10 {
        issue(&ten, "login", T0, &mut st, &mut r);
        assert_eq!(retry_at(&st, T0), Ok(if i < 9 { 0 } else { T0 + 3600 }), "send {i}");
    }
    // Lowering the limit later applies to the remembered sends.
    let mut five = ten.clone();
    five.set(Setting::OtpMaxSendsPerHour, 5).unwrap();
    assert_eq!(otp::issue_with_rng(&five, "login", T0 + 100, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    assert_eq!(retry_at(&st, T0 + 100), Ok(T0 + 3600));
    assert_eq!(otp::issue_with_rng(&ten, "login", T0 + 3599, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    issue(&ten, "login", T0 + 3600, &mut st, &mut r);
    // The ten sends at T0 are exactly an hour old: out of the window, nothing to wait for.
    assert_eq!(retry_at(&st, T0 + 3600), Ok(0));
    issue(&ten, "login", T0 + 3600, &mut st, &mut r);

    // One per hour.
    let mut one = ctx.clone();
    one.set(Setting::OtpMaxSendsPerHour, 1).unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    issue(&one, "login", T0, &mut st, &mut r);
    assert_eq!(retry_at(&st, T0), Ok(T0 + 3600));
    assert_eq!(otp::issue_with_rng(&one, "login", T0 + 3599, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    issue(&one, "login", T0 + 3600, &mut st, &mut r);

    // A clock that went backwards cannot send before the last send.
    let mut z = ctx.clone();
    z.set(Setting::OtpResendSeconds, 0).unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    issue(&z, "login", T0, &mut st, &mut r);
    assert_eq!(otp::issue_with_rng(&z, "login", T0 - 1, &mut st, &mut r).unwrap_err(), Error::TooSoon);
    assert_eq!(retry_at(&st, T0 - 1), Ok(T0));
}

/// Other lengths, key rotation, bad arguments, corrupt states.
#[test]
fn digits_keys_and_bad_input() {
    let mut r = rng(6);
    for digits in 4..=8u64 {
        let mut c = ctx();
        c.set(Setting::OtpDigits, digits).unwrap();
        let mut st: Blob = [0; STATE_BYTES];
        let code = issue(&c, "login", T0, &mut st, &mut r);
        assert_eq!(code.len() as u64, digits);
        // The length is the issued one, even if the setting changes meanwhile.
        let six = ctx();
        let mut s2 = st;
        assert_eq!(otp::verify(&six, "login", &code, T0 + 1, &mut s2), Ok(()), "{digits}");
    }

    // Rotation: a code issued under key 2 verifies with a context whose current key is 3 and
    // that still holds 2; without key 2 it is UNKNOWN_KEY (not counted).
    let old = ctx();
    let mut st: Blob = [0; STATE_BYTES];
    let code = issue(&old, "login", T0, &mut st, &mut r);
    let mut rotated = Context::new(&[0x43; 32], 3).unwrap();
    rotated.add_key(&MASTER, 2).unwrap();
    let dropped = Context::new(&[0x43; 32], 3).unwrap();
    let mut s2 = st;
    assert_eq!(otp::verify(&dropped, "login", &code, T0 + 1, &mut s2), Err(Error::UnknownKey));
    assert_eq!(otp::verify(&rotated, "login", &code, T0 + 1, &mut s2), Ok(()));
    // A different master with the same id does not verify.
    let impostor = Context::new(&[0x44; 32], 2).unwrap();
    let mut s2 = st;
    assert_eq!(otp::verify(&impostor, "login", &code, T0 + 1, &mut s2), Err(Error::Wrong));
    // Resend under the new key: the old code (key 2) is recognised as superseded.
    let mut s2 = st;
    let new = issue(&rotated, "login", T0 + 60, &mut s2, &mut r);
    assert_eq!(otp::verify(&rotated, "login", &code, T0 + 61, &mut s2), Err(Error::Superseded));
    assert_eq!(otp::verify(&rotated, "login", &new, T0 + 61, &mut s2), Ok(()));

    // Empty purpose: refused, state untouched.
    let copy = st;
    assert_eq!(otp::issue_with_rng(&old, "", T0, &mut st, &mut r).unwrap_err(), Error::InvalidArgument);
    assert_eq!(otp::verify(&old, "", &code, T0, &mut st), Err(Error::InvalidArgument));
    assert_eq!(st, copy);

    // Corrupt or foreign blobs: refused and untouched.
    let mut bad = st;
    bad[0] = 2; // a PIN blob
    let copy = bad;
    assert_eq!(otp::verify(&old, "login", &code, T0, &mut bad), Err(Error::CorruptState));
    assert_eq!(
        otp::issue_with_rng(&old, "login", T0 + 100, &mut bad, &mut r).unwrap_err(),
        Error::CorruptState
    );
    assert_eq!(bad, copy);
    for at in [24usize, 25, 26] {
        let mut bad = st;
        bad[at] = 0xFF;
        let copy = bad;
        assert_eq!(otp::verify(&old, "login", &code, T0, &mut bad), Err(Error::CorruptState), "byte {at}");
        assert_eq!(bad, copy);
    }
}

fn python_ok() -> bool {
    python::run(&["-c", "import hmac, hashlib"]).is_some()
}

/// An independent reading of the documented blob layout in Python (stdlib `hmac`/`hashlib`): it
/// derives the key from the master secret, recomputes the tags from the codes, and decodes the
/// packed send history. Also shows the state never holds the code in clear.
#[test]
fn layout_matches_an_independent_python_reading() {
    if !python_ok() {
        return;
    }
    let ctx = ctx();
    let mut r = rng(7);
    let mut st: Blob = [0; STATE_BYTES];
    let times = [T0, T0 + 61, T0 + 999, T0 + 3500];
    let mut codes = Vec::new();
    for &t in &times {
        codes.push(issue(&ctx, "phone-change:+79990001122", t, &mut st, &mut r));
    }
    let wrong = other_than(&codes.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(otp::verify(&ctx, "phone-change:+79990001122", &wrong, T0 + 3501, &mut st), Err(Error::Wrong));
    for c in &codes {
        assert!(!st.windows(c.len()).any(|w| w == c.as_bytes()), "code in clear");
    }
    let hex: String = st.iter().map(|b| format!("{b:02x}")).collect();
    let script = r#"
import sys, hmac, hashlib
blob = bytes.fromhex(sys.argv[1]); master = bytes([0x42]) * 32
purpose = sys.argv[2].encode(); cur, prev = sys.argv[3].encode(), sys.argv[4].encode()
assert blob[0] == 3 and blob[1] == 3 and blob[4:8] == bytes(4)
failures = int.from_bytes(blob[2:4], 'little')
wait_until = int.from_bytes(blob[16:24], 'little')
p = blob[24:]
digits, flags, keys, attempts = p[0], p[1], p[2], p[3]
issued = int.from_bytes(p[4:12], 'little')
def key(kid):
    return hmac.new(master, b'portal-codes/v1/one-time-code\x00' + bytes([kid]), hashlib.sha256).digest()
def tag(kid, t, code):
    return hmac.new(key(kid), t.to_bytes(8, 'little') + bytes([len(code)]) + code + purpose, hashlib.sha256).digest()
assert p[12:20] == tag(keys & 15, issued, cur)[:8], 'tag'
prev_age = int.from_bytes(p[24:26], 'little')
assert flags & 2 and p[20:24] == tag(keys >> 4, issued - prev_age, prev)[:4], 'prev tag'
bits = int.from_bytes(p[26:40], 'little')
n = flags >> 4
ages = [(bits >> (12 * i)) & 0xFFF for i in range(n)]
assert bits >> (12 * n) == 0
print(digits, flags & 1, keys & 15, keys >> 4, attempts, issued, prev_age, ",".join(map(str, ages)), failures, wait_until)
"#;
    let got = python::run(&["-c", script, &hex, "phone-change:+79990001122", &codes[3], &codes[2]])
        .expect("python3 was found above");
    // Sends at +3500 (issue), +999, +61, +0: ages 2501, 3439, 3500; the one at +0 is also kept.
    let want = format!("6 0 2 2 1 {} 2501 2501,3439,3500 1 {}\n", T0 + 3500, T0 + 3500 + 60);
    assert_eq!(got, want);
}

/// The revoked SMS blob as docs/otp.md describes it (flags bit 2 `REVOKED`), read by Python
/// from the documented layout alone: no code and no tag left, the issue time, the earlier sends,
/// the failures and the resend wait kept.
#[test]
fn revoked_layout_matches_an_independent_python_reading() {
    if !python_ok() {
        return;
    }
    let ctx = ctx();
    let mut r = rng(8);
    let mut st: Blob = [0; STATE_BYTES];
    let mut codes = Vec::new();
    for t in [T0, T0 + 61, T0 + 999] {
        codes.push(issue(&ctx, "login", t, &mut st, &mut r));
    }
    let wrong = other_than(&codes.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(otp::verify(&ctx, "login", &wrong, T0 + 1000, &mut st), Err(Error::Wrong));
    portal_codes::state::revoke(&mut st, portal_codes::state::REVOKE_CODES).unwrap();
    let hex: String = st.iter().map(|b| format!("{b:02x}")).collect();
    let script = r#"
import sys
blob = bytes.fromhex(sys.argv[1])
assert blob[0] == 3, 'an SMS blob'
p = blob[24:]
digits, flags = p[0], p[1]
assert flags & 0x0F == 4, 'only REVOKED among the low flags'
assert p[2:4] == bytes(2), 'no key ids, no attempts'
assert p[12:26] == bytes(14), 'no tags, no replaced code'
bits = int.from_bytes(p[26:40], 'little')
n = flags >> 4
ages = [(bits >> (12 * i)) & 0xFFF for i in range(n)]
print(digits, int.from_bytes(p[4:12], 'little'), ",".join(map(str, ages)),
      int.from_bytes(blob[2:4], 'little'), int.from_bytes(blob[16:24], 'little'))
"#;
    let got = python::run(&["-c", script, &hex]).expect("python3 was found above");
    // Sends at +999 (the issue time), +61 and +0: ages 938 and 999; one failure; next send at +1059.
    assert_eq!(got, format!("6 {} 938,999 1 {}\n", T0 + 999, T0 + 999 + 60));
    assert_eq!(otp::verify(&ctx, "login", &codes[2], T0 + 1001, &mut st), Err(Error::NoChallenge));
}

// ---------------------------------------------------------------------------------------------
// Statistics.
//
// Chi-square goodness of fit at significance α = 0.001 in each tail (a fit that is too good is
// as suspicious as a bad one: it would betray a counter or a shuffled deck, not a random draw).
// Critical values: df = 9 → [1.152, 27.877] and df = 99 → [61.918, 148.230] (standard tables);
// for large df the Wilson–Hilferty approximation, accurate to better than 0.1% there. The
// generator is seeded, so the outcome is reproducible; the significance says how unlikely such a
// failure would be for a truly uniform generator (about 0.2% per check, ~3% over all checks).
// ---------------------------------------------------------------------------------------------

const Z_999: f64 = 3.090_232; // standard normal quantile at 0.999

fn chi_square(counts: &[u64], total: u64) -> f64 {
    let e = total as f64 / counts.len() as f64;
    counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum()
}

/// (lower, upper) critical values at α = 0.001 per tail.
fn chi_bounds(df: usize) -> (f64, f64) {
    match df {
        9 => (1.152, 27.877),
        99 => (61.918, 148.230),
        _ => {
            let k = df as f64;
            let h = 2.0 / (9.0 * k);
            let wh = |z: f64| k * (1.0 - h + z * h.sqrt()).powi(3);
            (wh(-Z_999), wh(Z_999))
        }
    }
}

fn assert_uniform(what: &str, counts: &[u64], total: u64) {
    let x = chi_square(counts, total);
    let (lo, hi) = chi_bounds(counts.len() - 1);
    println!("{what}: chi2 = {x:.2} (df {}, accept [{lo:.2}, {hi:.2}])", counts.len() - 1);
    assert!(x > lo && x < hi, "{what}: chi2 = {x:.3} outside [{lo:.3}, {hi:.3}]; counts {counts:?}");
}

/// Issues `n` codes of `digits` digits, each into a fresh state, through `f`.
fn draw(n: usize, digits: u64, mut f: impl FnMut(&Context, &mut Blob) -> OtpCode) -> Vec<u32> {
    let mut c = ctx();
    c.set(Setting::OtpDigits, digits).unwrap();
    (0..n)
        .map(|_| {
            let mut st: Blob = [0; STATE_BYTES];
            let code = f(&c, &mut st);
            assert_eq!(code.len() as u64, digits);
            code.as_str().parse().unwrap()
        })
        .collect()
}

/// Per-position and leading-digit uniformity; returns how often each value occurred, sorted.
fn digit_checks(what: &str, values: &[u32], digits: u32) {
    let n = values.len() as u64;
    for pos in 0..digits {
        let div = 10u32.pow(digits - 1 - pos);
        let mut counts = [0u64; 10];
        for &v in values {
            counts[(v / div % 10) as usize] += 1;
        }
        assert_uniform(&format!("{what} digit {pos}"), &counts, n);
    }
    // The leading digit includes 0 (zero padding kept) with the same frequency as the others,
    // and the first two digits jointly (100 cells) are uniform too.
    let lead = 10u32.pow(digits - 1);
    assert!(values.iter().any(|&v| v < lead), "{what}: no code starts with 0");
    let mut pairs = [0u64; 100];
    for &v in values {
        pairs[(v / (lead / 10)) as usize] += 1;
    }
    assert_uniform(&format!("{what} leading pair"), &pairs, n);
}

/// Distinct values and the largest multiplicity.
fn repeats(values: &[u32]) -> (usize, usize) {
    let mut v = values.to_vec();
    v.sort_unstable();
    let mut distinct = 0;
    let mut max = 0;
    let mut run = 0;
    for i in 0..v.len() {
        if i == 0 || v[i] != v[i - 1] {
            distinct += 1;
            run = 0;
        }
        run += 1;
        max = max.max(run);
    }
    (distinct, max)
}

/// 10^6 eight-digit codes (seeded ChaCha20 through the core function): every position and the
/// leading digits are uniform, and repeats follow the birthday bound. About 5 s in a debug build.
#[test]
fn a_million_eight_digit_codes() {
    let n = 1_000_000;
    let mut r = rng(11);
    let values = draw(n, 8, |c, st| otp::issue_with_rng(c, "login", T0, st, &mut r).unwrap());
    digit_checks("8-digit", &values, 8);

    // Birthday bound: n draws from N = 10^8 values. Expected repeats (n − distinct) is
    // n − N(1 − (1 − 1/N)^n) ≈ 4983.4; the count is very nearly Poisson, sd ≈ 70.6. Accept
    // within 4 sd (two-sided normal tail ≈ 6e-5).
    let big_n = 1e8_f64;
    let expected = n as f64 - big_n * (1.0 - ((n as f64) * (-1.0 / big_n).ln_1p()).exp());
    let (distinct, max) = repeats(&values);
    let rep = (n - distinct) as f64;
    println!("8-digit: {rep} repeats (expected {expected:.1}), max multiplicity {max}");
    assert!((rep - expected).abs() < 4.0 * expected.sqrt(), "repeats {rep}, expected {expected:.1}");
    // Expected number of values drawn 5 times or more ≈ C(n,5)/N^4 ≈ 8e-5.
    assert!(max <= 4, "a value drawn {max} times");
}

/// 10^6 six-digit codes (the default length): positions, leading digits, every one of the 10^6
/// values (df 999,999), and the largest multiplicity. About 5 s in a debug build.
#[test]
fn a_million_six_digit_codes() {
    let n = 1_000_000;
    let mut r = rng(12);
    let values = draw(n, 6, |c, st| otp::issue_with_rng(c, "login", T0, st, &mut r).unwrap());
    digit_checks("6-digit", &values, 6);
    let mut counts = vec![0u64; 1_000_000];
    for &v in &values {
        counts[v as usize] += 1;
    }
    assert_uniform("6-digit values", &counts, n as u64);
    // Counts are ~Poisson(1): P(count ≥ 12) ≈ 8.5e-10 per value, ≈ 8.5e-4 over all 10^6.
    let max = counts.iter().max().copied().unwrap();
    println!("6-digit: max multiplicity {max}");
    assert!(max <= 11, "a value drawn {max} times");
}

/// A smaller run through the OS-seeded convenience function: 10^5 four-digit codes, every
/// position and every one of the 10^4 values, and repeats within the birthday bound for n = 10^5
/// over N = 10^4 (expected distinct ≈ N(1 − e^{−10}) — all values appear).
#[test]
fn os_seeded_codes_are_uniform_too() {
    let n = 100_000;
    let values = draw(n, 4, |c, st| otp::issue(c, "login", T0, st).unwrap());
    digit_checks("4-digit (OS)", &values, 4);
    let mut counts = vec![0u64; 10_000];
    for &v in &values {
        counts[v as usize] += 1;
    }
    assert_uniform("4-digit (OS) values", &counts, n as u64);
    // Each value is missing with probability (1 − 1/N)^n ≈ e^−10 ≈ 4.5e-5: expected 0.45 missing.
    let missing = counts.iter().filter(|&&c| c == 0).count();
    assert!(missing <= 4, "{missing} values never drawn");
}
