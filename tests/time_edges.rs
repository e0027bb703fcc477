//! Time at the edges (issue 13, flaw 8): `now` outside `clock::MIN_NOW ..= clock::MAX_NOW` is
//! refused by every flow with `INVALID_ARGUMENT` and the blob untouched (near `u64::MAX` send
//! caps used to disappear and locks to end early); at the last valid second limits still hold;
//! and a `now` earlier than a stored time behaves as `src/clock.rs` documents.

use portal_codes::clock::{MAX_NOW, MIN_NOW};
use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, otp, pin, retry_at};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_780_000_000;

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

fn kid() -> Child<'static> {
    Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95")
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([5; 32])
}

const BAD: [u64; 4] = [0, MAX_NOW + 1, u64::MAX - 1, u64::MAX];

/// Every flow refuses a `now` outside the range and leaves a used blob as it was.
#[test]
fn now_outside_the_range_is_refused_everywhere() {
    let c = ctx();
    let mut r = rng();
    // Blobs with something in them.
    let mut link_st: Blob = [0; STATE_BYTES];
    let code = link::issue_with_rng(&c, 7, &kid(), T0, &mut link_st, &mut r).unwrap();
    let mut otp_st: Blob = [0; STATE_BYTES];
    let sms = otp::issue_with_rng(&c, "login", T0, &mut otp_st, &mut r).unwrap();
    let stored = pin::hash_with_rng(&c, "acct", "385027", &mut r).unwrap();
    let mut pin_st: Blob = [0; STATE_BYTES];
    pin::verify_begin(&c, "385028", stored.as_str(), T0, &mut pin_st).unwrap();
    let secret = [9u8; 20];
    let p = Params::default();
    let mut totp_st: Blob = [0; STATE_BYTES];
    totp::time::verify(
        &c,
        &secret,
        &p,
        totp::time::code(&secret, &p, T0).unwrap().as_str(),
        T0,
        &mut totp_st,
    )
    .unwrap();
    let mut hotp_st: Blob = [0; STATE_BYTES];
    let alg = totp::Algorithm::Sha1;
    totp::hotp::verify(
        &c,
        &secret,
        alg,
        6,
        totp::hotp::code(&secret, alg, 6, 0).unwrap().as_str(),
        T0,
        &mut hotp_st,
    )
    .unwrap();
    let inv = Err(Error::InvalidArgument);
    for now in BAD {
        let copies = (link_st, otp_st, pin_st, totp_st, hotp_st);
        assert_eq!(link::issue_with_rng(&c, 7, &kid(), now, &mut link_st, &mut r).map(|_| ()), inv, "{now}");
        assert_eq!(link::redeem(&c, code.as_str(), &kid(), now, &mut link_st), inv, "{now}");
        assert_eq!(otp::issue_with_rng(&c, "login", now, &mut otp_st, &mut r).map(|_| ()), inv, "{now}");
        assert_eq!(otp::verify(&c, "login", sms.as_str(), now, &mut otp_st), inv, "{now}");
        assert_eq!(pin::verify(&c, "acct", "385027", stored.as_str(), now, &mut pin_st), inv);
        assert_eq!(pin::verify_begin(&c, "385027", stored.as_str(), now, &mut pin_st), inv);
        assert_eq!(pin::verify_finish(&c, "acct", "385027", stored.as_str(), now, &mut pin_st), inv);
        assert_eq!(pin::verify(&c, "nobody", "385027", pin::Stored::UnknownAccount, now, &mut pin_st), inv);
        assert_eq!(totp::time::verify(&c, &secret, &p, "123456", now, &mut totp_st).map(|_| ()), inv);
        assert_eq!(totp::hotp::verify(&c, &secret, alg, 6, "123456", now, &mut hotp_st).map(|_| ()), inv);
        assert_eq!(retry_at(&otp_st, now), Err(Error::InvalidArgument));
        assert_eq!((link_st, otp_st, pin_st, totp_st, hotp_st), copies, "blobs untouched at {now}");
    }
    // 9999-12-31 23:59:59 UTC: 2,932,897 days from 1970-01-01 to 10000-01-01, minus one second.
    const { assert!(MIN_NOW == 1 && MAX_NOW == 2_932_897 * 86_400 - 1) };
}

/// At the last valid second the limits hold: a lock lasts its full period and the send caps
/// still apply (no saturation).
#[test]
fn limits_hold_at_the_end_of_the_range() {
    let c = ctx();
    let mut r = rng();
    let t = MAX_NOW - 10_000;
    let mut st: Blob = [0; STATE_BYTES];
    otp::issue_with_rng(&c, "login", t, &mut st, &mut r).unwrap();
    assert_eq!(otp::issue_with_rng(&c, "login", t + 59, &mut st, &mut r).map(|_| ()), Err(Error::TooSoon));
    assert_eq!(retry_at(&st, t + 59), Ok(t + 60));
    for i in 1..5 {
        otp::issue_with_rng(&c, "login", t + 60 * i, &mut st, &mut r).unwrap();
    }
    assert_eq!(otp::issue_with_rng(&c, "login", t + 3599, &mut st, &mut r).map(|_| ()), Err(Error::TooSoon));
    assert_eq!(retry_at(&st, t + 3599), Ok(t + 3600), "the hourly cap holds");
    // Five wrong PINs at the last second: locked for the full 900 s after it.
    let stored = pin::hash_with_rng(&c, "acct", "385027", &mut r).unwrap();
    let mut ps: Blob = [0; STATE_BYTES];
    for _ in 0..5 {
        assert_eq!(pin::verify(&c, "acct", "385028", stored.as_str(), MAX_NOW, &mut ps), Err(Error::Wrong));
    }
    assert_eq!(pin::verify(&c, "acct", "385027", stored.as_str(), MAX_NOW, &mut ps), Err(Error::Locked));
    assert_eq!(retry_at(&ps, MAX_NOW), Ok(MAX_NOW + 900));
}

/// A `now` earlier than a stored time (clocks that differ between servers).
#[test]
fn clocks_that_go_backwards() {
    let c = ctx();
    let mut r = rng();
    // Locks: an earlier now only makes a lock last longer.
    let stored = pin::hash_with_rng(&c, "acct", "385027", &mut r).unwrap();
    let mut ps: Blob = [0; STATE_BYTES];
    for _ in 0..5 {
        pin::verify(&c, "acct", "385028", stored.as_str(), T0, &mut ps).unwrap_err();
    }
    assert_eq!(pin::verify(&c, "acct", "385027", stored.as_str(), T0 - 120, &mut ps), Err(Error::Locked));
    // Link codes: not expired before the issue time; still expired after it.
    let mut ls: Blob = [0; STATE_BYTES];
    let code = link::issue_with_rng(&c, 7, &kid(), T0, &mut ls, &mut r).unwrap();
    let mut early = ls;
    assert_eq!(link::redeem(&c, code.as_str(), &kid(), T0 - 90, &mut early), Ok(()));
    assert_eq!(link::redeem(&c, code.as_str(), &kid(), T0 + 600, &mut ls), Err(Error::Expired));
    assert_eq!(link::redeem(&c, code.as_str(), &kid(), T0 + 30, &mut ls), Ok(()), "back inside the window");
    // SMS codes: a resend before the last send is too soon; a code typed "before" it was sent is valid.
    let mut os: Blob = [0; STATE_BYTES];
    let sms = otp::issue_with_rng(&c, "login", T0, &mut os, &mut r).unwrap();
    assert_eq!(otp::issue_with_rng(&c, "login", T0 - 30, &mut os, &mut r).map(|_| ()), Err(Error::TooSoon));
    assert_eq!(otp::verify(&c, "login", sms.as_str(), T0 - 30, &mut os), Ok(()));
    // TOTP: an accepted step stays used when the clock goes back.
    let secret = [9u8; 20];
    let p = Params::default();
    let mut ts: Blob = [0; STATE_BYTES];
    let at = totp::time::code(&secret, &p, T0).unwrap();
    assert_eq!(totp::time::verify(&c, &secret, &p, at.as_str(), T0, &mut ts), Ok(0));
    assert_eq!(totp::time::verify(&c, &secret, &p, at.as_str(), T0 - 30, &mut ts), Err(Error::AlreadyUsed));
}

/// Issue 20 §5: a server whose clock runs ahead must not give its codes a longer life than the
/// tolerance allows. Within `MAX_CLOCK_SKEW` (300 s) a code issued "in the future" is valid (as
/// before); beyond it, `EXPIRED` on the verifying server, so no code lives past TTL + 300 s.
#[test]
fn clock_skew_is_bounded() {
    let c = ctx();
    let mut r = rng();
    let skew = portal_codes::clock::MAX_CLOCK_SKEW;
    for (behind, want) in [(skew, Ok(())), (skew + 1, Err(Error::Expired))] {
        let mut ls: Blob = [0; STATE_BYTES];
        let code = link::issue_with_rng(&c, 7, &kid(), T0, &mut ls, &mut r).unwrap();
        assert_eq!(link::redeem(&c, code.as_str(), &kid(), T0 - behind, &mut ls), want, "link, {behind} s");
        let mut os: Blob = [0; STATE_BYTES];
        let sms = otp::issue_with_rng(&c, "login", T0, &mut os, &mut r).unwrap();
        assert_eq!(otp::verify(&c, "login", sms.as_str(), T0 - behind, &mut os), want, "SMS, {behind} s");
    }
}
