//! `state::revoke` across every flow, through the public API only (issue 22 §5): issue, revoke,
//! verify → `NO_CHALLENGE`, not counted; what must be kept is kept (the lockout counters and
//! locks, the SMS send history and cooldown, the TOTP/HOTP replay counters, the link issue
//! number, the recovery set unless asked).

use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{self, REVOKE_CODES, REVOKE_RECOVERY};
use portal_codes::totp::{self, Algorithm};
use portal_codes::{Context, Error, STATE_BYTES, Setting, link, otp, pin, recovery, retry_at};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_750_000_000;

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// The failures and lock a blob's header holds, read through `retry_at` and a fresh decode.
fn failures(b: &Blob) -> u16 {
    state::State::decode_any(b).unwrap().map_or(0, |s| s.failures)
}

/// Revokes `what` and asserts that a second revocation changes nothing (it is idempotent).
fn revoke(b: &mut Blob, what: u32) {
    state::revoke(b, what).unwrap();
    let once = *b;
    state::revoke(b, what).unwrap();
    assert_eq!(*b, once, "revoking twice is revoking once");
}

/// A verify whose answer is `NO_CHALLENGE` and that leaves the blob as it was (not counted).
fn no_challenge(what: &str, b: &mut Blob, call: impl FnOnce(&mut Blob) -> Result<(), Error>) {
    let before = *b;
    assert_eq!(call(b), Err(Error::NoChallenge), "{what}");
    assert_eq!(*b, before, "{what}: not counted, blob unchanged");
}

#[test]
fn sms_codes_die_and_the_send_history_stays() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([1; 32]);
    let mut st: Blob = [0; STATE_BYTES];
    let first = otp::issue_with_rng(&ctx, "login", T0, &mut st, &mut r).unwrap().as_str().to_owned();
    let second = otp::issue_with_rng(&ctx, "login", T0 + 60, &mut st, &mut r).unwrap().as_str().to_owned();
    let wrong = (0..).map(|v| format!("{v:06}")).find(|c| *c != first && *c != second).unwrap();
    assert_eq!(otp::verify(&ctx, "login", &wrong, T0 + 61, &mut st), Err(Error::Wrong));
    assert_eq!(otp::verify(&ctx, "login", &first, T0 + 62, &mut st), Err(Error::Superseded));
    let wait = retry_at(&st, T0 + 62).unwrap();
    assert_eq!(wait, T0 + 120, "the resend cooldown");

    let before = st;
    revoke(&mut st, REVOKE_RECOVERY);
    assert_eq!(st, before, "the recovery flag leaves SMS codes alone");
    revoke(&mut st, REVOKE_CODES);
    assert_ne!(st, before);
    assert_eq!(failures(&st), 1, "the counted failure stays");
    assert_eq!(retry_at(&st, T0 + 62).unwrap(), wait, "the cooldown stays");
    for (what, code) in
        [("outstanding", &second), ("replaced", &first), ("wrong", &wrong), ("typo", &"12".into())]
    {
        no_challenge(what, &mut st, |b| otp::verify(&ctx, "login", code, T0 + 63, b));
    }
    // The send history limits SMS pumping across the revocation: too soon, then the hourly limit.
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0 + 119, &mut st, &mut r).err(), Some(Error::TooSoon));
    let third = otp::issue_with_rng(&ctx, "login", T0 + 120, &mut st, &mut r).unwrap().as_str().to_owned();
    // The new code replaced nothing: the revoked one is just wrong now (counted).
    if third != second {
        assert_eq!(otp::verify(&ctx, "login", &second, T0 + 121, &mut st), Err(Error::Wrong));
    }
    otp::verify(&ctx, "login", &third, T0 + 122, &mut st).unwrap();
    let mut ctx5 = ctx.clone();
    ctx5.set(Setting::OtpResendSeconds, 0).unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    for i in 0..5 {
        otp::issue_with_rng(&ctx5, "login", T0 + i, &mut st, &mut r).unwrap();
    }
    revoke(&mut st, REVOKE_CODES | REVOKE_RECOVERY);
    assert_eq!(otp::issue_with_rng(&ctx5, "login", T0 + 10, &mut st, &mut r).err(), Some(Error::TooSoon));
    assert_eq!(retry_at(&st, T0 + 10).unwrap(), T0 + 3600, "five sends in the hour, revoked or not");
}

#[test]
fn link_codes_die_and_the_issue_number_stays() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([2; 32]);
    let child = link::Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
    let mut st: Blob = [0; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, 42, &child, T0, &mut st, &mut r).unwrap();
    let sibling = link::Child::new("Иванов Пётр Петрович", "2017-05-01", "M", "112-233-445 95");
    let forged = link::issue_with_rng(&ctx, 42, &sibling, T0, &mut [0; STATE_BYTES], &mut r).unwrap();
    assert_eq!(link::redeem(&ctx, forged.as_str(), &child, T0 + 1, &mut st), Err(Error::Wrong));
    let before = st;
    revoke(&mut st, REVOKE_RECOVERY);
    assert_eq!(st, before, "the recovery flag leaves link codes alone");
    revoke(&mut st, REVOKE_CODES);
    assert_eq!(failures(&st), 1);
    for (what, c) in [("latest", code.as_str()), ("forged", forged.as_str()), ("typo", "ABC")] {
        no_challenge(what, &mut st, |b| link::redeem(&ctx, c, &child, T0 + 2, b));
    }
    // The next issue numbers on: the revoked code is an earlier one (never the latest again).
    let next = link::issue_with_rng(&ctx, 42, &child, T0 + 3, &mut st, &mut r).unwrap();
    assert_eq!(link::redeem(&ctx, code.as_str(), &child, T0 + 4, &mut st), Err(Error::Superseded));
    let moved = link::Child::new("Иванова Мария Петровна", "2015-03-09", "F", "112-233-445 95");
    assert_eq!(link::redeem(&ctx, code.as_str(), &moved, T0 + 4, &mut st), Err(Error::DataChanged));
    link::redeem(&ctx, next.as_str(), &child, T0 + 5, &mut st).unwrap();
    // A used code is revoked as well (nothing is outstanding either way).
    revoke(&mut st, REVOKE_CODES);
    no_challenge("used, then revoked", &mut st, |b| link::redeem(&ctx, next.as_str(), &child, T0 + 6, b));
}

#[test]
fn recovery_sets_die_only_when_asked() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([3; 32]);
    let mut st: Blob = [0; STATE_BYTES];
    let set = recovery::generate_with_rng(&ctx, "account-1", 10, &mut st, &mut r).unwrap();
    let stored = set.stored().as_str().to_owned();
    let codes: Vec<String> = set.codes().iter().map(|c| c.as_str().to_owned()).collect();
    assert_eq!(recovery::verify(&ctx, "account-1", &stored, &codes[0], T0, &mut st), Ok(9));
    let other = recovery::generate_with_rng(&ctx, "account-1", 10, &mut [0; STATE_BYTES], &mut r).unwrap();
    let wrong = other.codes()[0].as_str().to_owned();
    assert_eq!(recovery::verify(&ctx, "account-1", &stored, &wrong, T0, &mut st), Err(Error::Wrong));
    let before = st;
    revoke(&mut st, REVOKE_CODES);
    assert_eq!(st, before, "codes only: the recovery set stays");
    assert_eq!(recovery::verify(&ctx, "account-1", &stored, &codes[1], T0, &mut st), Ok(8));
    revoke(&mut st, REVOKE_RECOVERY);
    assert_eq!((failures(&st), recovery::remaining(&st)), (0, Ok(0)));
    assert_eq!(
        recovery::verify(&ctx, "account-1", &stored, &wrong, T0, &mut st.clone()),
        Err(Error::NoChallenge)
    );
    // With failures kept: a wrong code before the revocation stays counted.
    let mut st2: Blob = [0; STATE_BYTES];
    let set2 = recovery::generate_with_rng(&ctx, "account-1", 3, &mut st2, &mut r).unwrap();
    assert_eq!(
        recovery::verify(&ctx, "account-1", set2.stored().as_str(), &wrong, T0, &mut st2),
        Err(Error::Wrong)
    );
    revoke(&mut st2, REVOKE_RECOVERY | REVOKE_CODES);
    assert_eq!(failures(&st2), 1);
    for (what, c) in [("unused", set2.codes()[0].as_str()), ("wrong", wrong.as_str()), ("typo", "X")] {
        no_challenge(what, &mut st2, |b| {
            recovery::verify(&ctx, "account-1", set2.stored().as_str(), c, T0, b).map(drop)
        });
    }
    // A new set works; the dead set's string never does again.
    let set3 = recovery::generate_with_rng(&ctx, "account-1", 10, &mut st2, &mut r).unwrap();
    let c3 = set3.codes()[0].as_str().to_owned();
    assert_eq!(
        recovery::verify(&ctx, "account-1", set2.stored().as_str(), &c3, T0, &mut st2),
        Err(Error::Superseded)
    );
    assert_eq!(recovery::verify(&ctx, "account-1", set3.stored().as_str(), &c3, T0, &mut st2), Ok(9));
}

/// PIN, TOTP and HOTP blobs hold no code: every byte stays, so the replay counters and the
/// lockout still hold after a revocation.
#[test]
fn pin_totp_and_hotp_blobs_keep_every_byte() {
    let ctx = ctx();
    let stored = pin::hash(&ctx, "account-1", "385027").unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    assert_eq!(pin::verify(&ctx, "account-1", "111111", stored.as_str(), T0, &mut st), Err(Error::Wrong));
    pin::verify_begin(&ctx, "385027", stored.as_str(), T0, &mut st).unwrap(); // a pending attempt
    let before = st;
    revoke(&mut st, REVOKE_CODES | REVOKE_RECOVERY);
    assert_eq!(st, before, "PIN");
    pin::verify_finish(&ctx, "account-1", "385027", stored.as_str(), T0, &mut st).unwrap();

    let secret = *b"12345678901234567890";
    let params = totp::Params::default();
    let mut st: Blob = [0; STATE_BYTES];
    let c = totp::time::code(&secret, &params, T0).unwrap();
    totp::time::verify(&ctx, &secret, &params, c.as_str(), T0, &mut st).unwrap();
    let before = st;
    revoke(&mut st, REVOKE_CODES | REVOKE_RECOVERY);
    assert_eq!(st, before, "TOTP");
    assert_eq!(
        totp::time::verify(&ctx, &secret, &params, c.as_str(), T0 + 1, &mut st),
        Err(Error::AlreadyUsed)
    );

    let mut st: Blob = [0; STATE_BYTES];
    let c = totp::hotp::code(&secret, Algorithm::Sha1, 6, 0).unwrap();
    totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, c.as_str(), T0, &mut st).unwrap();
    let before = st;
    revoke(&mut st, REVOKE_CODES | REVOKE_RECOVERY);
    assert_eq!(st, before, "HOTP");
    assert_eq!(
        totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, c.as_str(), T0, &mut st),
        Err(Error::AlreadyUsed)
    );
}

/// A lock and a block survive a revocation (an attacker cannot revoke his way out of them, and
/// the host must not use revocation as a reset); the answer while locked stays `LOCKED`.
#[test]
fn locks_and_blocks_survive() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([4; 32]);
    // Locked by five wrong codes, over two sends (three attempts per code).
    let mut st: Blob = [0; STATE_BYTES];
    let mut code = String::new();
    for i in 0..5u64 {
        if i % 3 == 0 {
            code =
                otp::issue_with_rng(&ctx, "login", T0 + 60 * i, &mut st, &mut r).unwrap().as_str().to_owned();
        }
        let wrong = (0..).map(|v| format!("{v:06}")).find(|c| *c != code).unwrap();
        assert_eq!(otp::verify(&ctx, "login", &wrong, T0 + 60 * i + 1, &mut st), Err(Error::Wrong), "{i}");
    }
    let locked_until = T0 + 60 * 4 + 1 + 900;
    assert_eq!(retry_at(&st, T0 + 300).unwrap(), locked_until);
    revoke(&mut st, REVOKE_CODES);
    assert_eq!((failures(&st), retry_at(&st, T0 + 300).unwrap()), (5, locked_until), "still locked");
    assert_eq!(otp::verify(&ctx, "login", &code, T0 + 300, &mut st), Err(Error::Locked));
    no_challenge("after the lock", &mut st, |b| otp::verify(&ctx, "login", &code, locked_until, b));

    // Blocked: a revocation is no reset.
    let mut s = state::State::fresh(state::Kind::Otp);
    s.failures = 15;
    s.locked_until = state::BLOCKED;
    let mut st = s.encode();
    assert_eq!(otp::issue_with_rng(&ctx, "login", T0, &mut st, &mut r).err(), Some(Error::Blocked));
    revoke(&mut st, REVOKE_CODES);
    assert_eq!(st, s.encode());
    assert_eq!(otp::verify(&ctx, "login", &code, T0, &mut st), Err(Error::Blocked));
}

/// Every kind's corrupt blob is refused and left unchanged; flags are checked first.
#[test]
fn corrupt_blobs_and_bad_flags_are_refused_unchanged() {
    for kind in state::Kind::ALL {
        let mut s = state::State::fresh(kind);
        s.failures = 1;
        let mut b = s.encode();
        b[63] = 0xA5;
        let copy = b;
        assert_eq!(
            state::revoke(&mut b, REVOKE_CODES | REVOKE_RECOVERY),
            Err(Error::CorruptState),
            "{kind:?}"
        );
        assert_eq!(b, copy, "{kind:?}");
    }
    let mut b: Blob = [0; STATE_BYTES];
    assert_eq!(state::revoke(&mut b, 8), Err(Error::InvalidArgument));
    assert!(portal_codes::last_error_detail().contains("unknown flag bits"));
    // REVOKE_DEVICES (4): a device blob's generation + 1, as device::revoke_all; other blobs as
    // they were.
    let mut d: Blob = [0; STATE_BYTES];
    portal_codes::device::revoke_all(&mut d).unwrap();
    let mut viaflag = d;
    state::revoke(&mut viaflag, state::REVOKE_DEVICES).unwrap();
    portal_codes::device::revoke_all(&mut d).unwrap();
    assert_eq!(viaflag, d);
    assert_eq!(portal_codes::device::generation(&viaflag), Ok(2));
    let mut untouched: Blob = [0; STATE_BYTES];
    state::revoke(&mut untouched, state::REVOKE_DEVICES | REVOKE_CODES).unwrap();
    assert_eq!(untouched, [0; STATE_BYTES], "the fresh blob stays fresh");
    assert_eq!(state::revoke(&mut b, 0), Err(Error::InvalidArgument));
    assert_eq!(state::revoke(&mut b[..10], 1), Err(Error::CorruptState));
}
