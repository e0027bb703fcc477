//! `state::events` for every flow, from real calls (issue 22 §4): the events a host computes
//! from the blob a call read and the blob it stored — failures counted with the count left, the
//! lock boundary, the block, the clear, recovery codes used, devices trusted — and none for calls
//! that changed nothing about the protection.

use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::state::{
    self, EVENT_BLOCKED, EVENT_CLEARED, EVENT_DEVICE_TRUSTED, EVENT_FAILURE_COUNTED, EVENT_LOCK_STARTED,
    EVENT_RECOVERY_USED, Events,
};
use portal_codes::totp::{self, Algorithm};
use portal_codes::{Context, Error, STATE_BYTES, Setting, device, link, otp, pin, recovery};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_750_000_000;
const NONE: Events = Events { flags: 0, failures_left: 0, locked_until: 0, recovery_left: 0, trusted_at: 0 };

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// Runs `call` on `st` at `now` as a host does, and returns its result and the events between
/// the blob it read and the blob it wrote.
fn with_events<T>(ctx: &Context, st: &mut Blob, now: u64, call: impl FnOnce(&mut Blob) -> T) -> (T, Events) {
    let old = *st;
    let r = call(st);
    (r, state::events(ctx, &old, st, now).unwrap())
}

fn counted(left: u32) -> Events {
    Events { flags: EVENT_FAILURE_COUNTED, failures_left: left, ..NONE }
}

/// The whole lockout cycle with the default policy (5 / 900 s / 1800 s / 15), on HOTP (the
/// cheapest flow): every counted failure with the count left, the lock at the 5th and 10th
/// (until when), the refused tries while locked (no event), the block at the 15th, the reset.
#[test]
fn the_lock_boundaries_and_the_block() {
    let ctx = ctx();
    let secret = *b"12345678901234567890";
    let wrong = "000000"; // not among HOTP codes 0..=10 of the RFC 4226 secret
    let verify = |st: &mut Blob, now| totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, wrong, now, st);
    let mut st: Blob = [0; STATE_BYTES];
    let mut now = T0;
    for run in 0..3u32 {
        for i in 1..=5u32 {
            let (r, e) = with_events(&ctx, &mut st, now, |b| verify(b, now));
            assert_eq!(r, Err(Error::Wrong), "run {run}, try {i}");
            let want = match (run, i) {
                (2, 5) => Events { flags: EVENT_FAILURE_COUNTED | EVENT_BLOCKED, ..NONE },
                (0, 5) => Events {
                    flags: EVENT_FAILURE_COUNTED | EVENT_LOCK_STARTED,
                    failures_left: 5,
                    locked_until: now + 900,
                    ..NONE
                },
                (1, 5) => Events {
                    flags: EVENT_FAILURE_COUNTED | EVENT_LOCK_STARTED,
                    failures_left: 5,
                    locked_until: now + 1800,
                    ..NONE
                },
                _ => counted(5 - i),
            };
            assert_eq!(e, want, "run {run}, try {i}");
        }
        if run < 2 {
            let until = now + if run == 0 { 900 } else { 1800 };
            let (r, e) = with_events(&ctx, &mut st, until - 1, |b| verify(b, until - 1));
            assert_eq!((r, e), (Err(Error::Locked), NONE), "the last locked second: refused, no event");
            now = until; // the lock ends at this second
        }
    }
    let (r, e) = with_events(&ctx, &mut st, now + 99_999, |b| verify(b, now + 99_999));
    assert_eq!((r, e), (Err(Error::Blocked), NONE));
    let (_, e) = with_events(&ctx, &mut st, now, |b| state::reset(b).unwrap());
    assert_eq!(e, Events { flags: EVENT_CLEARED, ..NONE });
    assert_eq!(st, [0; STATE_BYTES]);
}

#[test]
fn pin_events() {
    let ctx = ctx();
    let stored = pin::hash(&ctx, "account-1", "385027").unwrap();
    let mut st: Blob = [0; STATE_BYTES];
    let verify =
        |st: &mut Blob, pin: &str, now| pin::verify(&ctx, "account-1", pin, stored.as_str(), now, st);
    let (r, e) = with_events(&ctx, &mut st, T0, |b| verify(b, "385027", T0));
    assert_eq!((r, e), (Ok(()), NONE), "the right PIN on a clean blob: nothing to tell");
    for i in 1..=3 {
        let (r, e) = with_events(&ctx, &mut st, T0 + i, |b| verify(b, "111111", T0 + i));
        assert_eq!((r, e), (Err(Error::Wrong), counted(5 - i as u32)), "someone is trying your PIN");
    }
    let (r, e) = with_events(&ctx, &mut st, T0 + 9, |b| verify(b, "12", T0 + 9));
    assert_eq!((r, e), (Err(Error::PinFormat), NONE), "not counted, no event");
    let (r, e) = with_events(&ctx, &mut st, T0 + 10, |b| verify(b, "385027", T0 + 10));
    assert_eq!((r, e), (Ok(()), Events { flags: EVENT_CLEARED, ..NONE }));

    // Two phases: `begin` counts in advance, so the host compares the blob before `begin` with
    // the one after `finish`; begin's own pair always shows a counted failure.
    let before = st;
    let (_, e) = with_events(&ctx, &mut st, T0 + 20, |b| {
        pin::verify_begin(&ctx, "385027", stored.as_str(), T0 + 20, b)
    });
    assert_eq!(e, counted(4));
    pin::verify_finish(&ctx, "account-1", "385027", stored.as_str(), T0 + 20, &mut st).unwrap();
    assert_eq!(state::events(&ctx, &before, &st, T0 + 20).unwrap(), NONE);
    let before = st;
    pin::verify_begin(&ctx, "111111", stored.as_str(), T0 + 21, &mut st).unwrap();
    assert_eq!(
        pin::verify_finish(&ctx, "account-1", "111111", stored.as_str(), T0 + 21, &mut st),
        Err(Error::Wrong)
    );
    assert_eq!(state::events(&ctx, &before, &st, T0 + 21).unwrap(), counted(4));

    // The unknown account's blob tells the same story (same blobs, same events).
    let mut ghost: Blob = [0; STATE_BYTES];
    let (r, e) = with_events(&ctx, &mut ghost, T0, |b| {
        pin::verify(&ctx, "nobody", "385027", pin::Stored::UnknownAccount, T0, b)
    });
    assert_eq!((r, e), (Err(Error::Wrong), counted(4)));
}

#[test]
fn sms_events() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([5; 32]);
    let mut st: Blob = [0; STATE_BYTES];
    let (code, e) = with_events(&ctx, &mut st, T0, |b| otp::issue_with_rng(&ctx, "login", T0, b, &mut r));
    let code = code.unwrap().as_str().to_owned();
    assert_eq!(e, NONE, "a send is no event");
    let wrong = (0..).map(|v| format!("{v:06}")).find(|c| *c != code).unwrap();
    let (v, e) = with_events(&ctx, &mut st, T0 + 1, |b| otp::verify(&ctx, "login", &wrong, T0 + 1, b));
    assert_eq!((v, e), (Err(Error::Wrong), counted(4)));
    let (v, e) = with_events(&ctx, &mut st, T0 + 2, |b| otp::verify(&ctx, "login", "1", T0 + 2, b));
    assert_eq!((v, e), (Err(Error::Mistyped), NONE));
    let (v, e) = with_events(&ctx, &mut st, T0 + 3, |b| otp::verify(&ctx, "login", &code, T0 + 3, b));
    assert_eq!((v, e), (Ok(()), Events { flags: EVENT_CLEARED, ..NONE }));
    let (v, e) = with_events(&ctx, &mut st, T0 + 4, |b| otp::verify(&ctx, "login", &code, T0 + 4, b));
    assert_eq!((v, e), (Err(Error::AlreadyUsed), NONE));
    let (_, e) = with_events(&ctx, &mut st, T0 + 5, |b| state::revoke(b, state::REVOKE_CODES));
    assert_eq!(e, NONE, "a revocation is the host's own act: no event");
}

#[test]
fn link_events() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([6; 32]);
    let child = link::Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
    let sibling = link::Child::new("Иванов Пётр Петрович", "2017-05-01", "M", "112-233-445 95");
    let mut st: Blob = [0; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, 42, &child, T0, &mut st, &mut r).unwrap();
    let forged = link::issue_with_rng(&ctx, 42, &sibling, T0, &mut [0; STATE_BYTES], &mut r).unwrap();
    for i in 1..=2 {
        let (v, e) =
            with_events(&ctx, &mut st, T0 + i, |b| link::redeem(&ctx, forged.as_str(), &child, T0 + i, b));
        assert_eq!((v, e), (Err(Error::Wrong), counted(5 - i as u32)));
    }
    // The real code redeems and clears nothing: the run is the forged codes' (issue 22 §3).
    let (v, e) = with_events(&ctx, &mut st, T0 + 3, |b| link::redeem(&ctx, code.as_str(), &child, T0 + 3, b));
    assert_eq!((v, e), (Ok(()), NONE));
}

#[test]
fn totp_events() {
    let ctx = ctx();
    let secret = *b"12345678901234567890";
    let params = totp::Params::default();
    let mut st: Blob = [0; STATE_BYTES];
    let right = totp::time::code(&secret, &params, T0).unwrap();
    let wrong = (0..).map(|v| format!("{v:06}")).find(|c| c != right.as_str()).unwrap();
    let (v, e) =
        with_events(&ctx, &mut st, T0, |b| totp::time::verify(&ctx, &secret, &params, &wrong, T0, b));
    assert!(v.is_err() && e == counted(4), "{v:?} {e:?}");
    let (v, e) =
        with_events(&ctx, &mut st, T0, |b| totp::time::verify(&ctx, &secret, &params, right.as_str(), T0, b));
    assert_eq!((v, e), (Ok(0), Events { flags: EVENT_CLEARED, ..NONE }));
    let (v, e) =
        with_events(&ctx, &mut st, T0, |b| totp::time::verify(&ctx, &secret, &params, right.as_str(), T0, b));
    assert_eq!((v, e), (Err(Error::AlreadyUsed), NONE));
}

#[test]
fn recovery_events() {
    let ctx = ctx();
    let mut r = ChaCha20Rng::from_seed([7; 32]);
    let mut st: Blob = [0; STATE_BYTES];
    let (set, e) =
        with_events(&ctx, &mut st, T0, |b| recovery::generate_with_rng(&ctx, "account-1", 10, b, &mut r));
    let set = set.unwrap();
    assert_eq!(e, NONE, "generating is no event");
    let stored = set.stored().as_str().to_owned();
    let verify = |st: &mut Blob, c: &str| recovery::verify(&ctx, "account-1", &stored, c, T0, st);
    let (v, e) = with_events(&ctx, &mut st, T0, |b| verify(b, set.codes()[0].as_str()));
    assert_eq!((v, e), (Ok(9), Events { flags: EVENT_RECOVERY_USED, recovery_left: 9, ..NONE }));
    let other = recovery::generate_with_rng(&ctx, "account-1", 1, &mut [0; STATE_BYTES], &mut r).unwrap();
    let (v, e) = with_events(&ctx, &mut st, T0, |b| verify(b, other.codes()[0].as_str()));
    assert_eq!((v, e), (Err(Error::Wrong), counted(4)));
    let (v, e) = with_events(&ctx, &mut st, T0, |b| verify(b, set.codes()[0].as_str()));
    assert_eq!((v, e), (Err(Error::AlreadyUsed), NONE));
    let (v, e) = with_events(&ctx, &mut st, T0, |b| verify(b, set.codes()[9].as_str()));
    assert_eq!(
        (v, e),
        (Ok(8), Events { flags: EVENT_RECOVERY_USED | EVENT_CLEARED, recovery_left: 8, ..NONE })
    );
    for c in &set.codes()[1..9] {
        verify(&mut st, c.as_str()).unwrap();
    }
    assert_eq!(recovery::remaining(&st), Ok(0));
    // A new set, or a revoked one, is no "code used".
    let before = st;
    recovery::generate_with_rng(&ctx, "account-1", 10, &mut st, &mut r).unwrap();
    assert_eq!(state::events(&ctx, &before, &st, T0).unwrap(), NONE);
    let before = st;
    state::revoke(&mut st, state::REVOKE_RECOVERY).unwrap();
    assert_eq!(state::events(&ctx, &before, &st, T0).unwrap(), NONE);
}

/// "A new device was trusted" (issue 22 §4): every issue of a device token, and only an issue,
/// raises `DEVICE_TRUSTED` with its time, on the fresh blob, after revocations and resets, on a
/// locked trusted lane (with no other event), and on a blob of the first device release; the
/// trusted lane's own failures, locks and clears are events as in every flow.
#[test]
fn device_events() {
    let ctx = ctx();
    let stored = pin::hash(&ctx, "account-1", "385027").unwrap();
    let stored = stored.as_str();
    let trusted = |at| Events { flags: EVENT_DEVICE_TRUSTED, trusted_at: at, ..NONE };
    let mut st: Blob = [0; STATE_BYTES];
    let (t, e) = with_events(&ctx, &mut st, T0, |b| device::issue(&ctx, "account-1", T0, b));
    let token = t.unwrap().as_str().to_owned();
    assert_eq!(e, trusted(T0), "the first device");
    let (_, e) = with_events(&ctx, &mut st, T0 + 60, |b| device::issue(&ctx, "account-1", T0 + 60, b));
    assert_eq!(e, trusted(T0 + 60), "a second device");
    let verify =
        |b: &mut Blob, p: &str, now| device::pin_verify(&ctx, "account-1", p, stored, &token, now, b);
    for i in 1..=5u32 {
        let now = T0 + 100 + u64::from(i);
        let (v, e) = with_events(&ctx, &mut st, now, |b| verify(b, "111111", now));
        assert_eq!(v, Err(Error::Wrong));
        assert_eq!(e.flags & !(EVENT_FAILURE_COUNTED | EVENT_LOCK_STARTED), 0, "{e:?}");
        assert!(e.has(EVENT_FAILURE_COUNTED) && e.has(EVENT_LOCK_STARTED) == (i == 5), "{e:?}");
    }
    // Locked: a device may still be trusted (by a login through another factor); nothing else.
    let (_, e) = with_events(&ctx, &mut st, T0 + 200, |b| device::issue(&ctx, "account-1", T0 + 200, b));
    assert_eq!(e, trusted(T0 + 200));
    let (v, e) = with_events(&ctx, &mut st, T0 + 201, |b| verify(b, "385027", T0 + 201));
    assert_eq!((v, e), (Err(Error::Locked), NONE));
    let (_, e) = with_events(&ctx, &mut st, T0 + 300, device::revoke_all);
    assert_eq!(e, NONE, "revoking is the host's own act");
    let (_, e) = with_events(&ctx, &mut st, T0 + 300, |b| state::reset(b));
    assert_eq!(e, Events { flags: EVENT_CLEARED, ..NONE });
    let (_, e) = with_events(&ctx, &mut st, T0 + 301, |b| state::revoke(b, state::REVOKE_DEVICES));
    assert_eq!(e, NONE);
    let (_, e) = with_events(&ctx, &mut st, T0 + 400, |b| device::issue(&ctx, "account-1", T0 + 400, b));
    assert_eq!(e, trusted(T0 + 400), "after a revocation: a device trusted anew");
    // A refused issue changes nothing, so it is no event.
    let (r, e) = with_events(&ctx, &mut st, T0 + 401, |b| device::issue(&ctx, "", T0 + 401, b));
    assert_eq!((r.err(), e), (Some(Error::InvalidArgument), NONE));
    // The blobs in either order: a count that went down (a blob restored from a backup) is no event.
    let before = st;
    device::issue(&ctx, "account-1", T0 + 500, &mut st).unwrap();
    assert_eq!(state::events(&ctx, &st, &before, T0 + 500).unwrap(), NONE);
    // A device blob of the first device release (layout 4, nothing recorded: all payload bytes
    // after the generation zero) reads as "none issued".
    let mut old: Blob = [0; STATE_BYTES];
    old[..2].copy_from_slice(&[7, 4]);
    old[24] = 3; // generation 3
    let (_, e) = with_events(&ctx, &mut old, T0, |b| device::issue(&ctx, "account-1", T0, b));
    assert_eq!(e, trusted(T0));
    assert_eq!(device::generation(&old), Ok(3));
}

/// The failures left follow the context's settings.
#[test]
fn failures_left_follows_the_settings() {
    let mut ctx = ctx();
    ctx.set(Setting::LockAfterFailures, 3).unwrap();
    ctx.set(Setting::BlockAfterFailures, 4).unwrap();
    let secret = *b"12345678901234567890";
    let mut st: Blob = [0; STATE_BYTES];
    let mut got = Vec::new();
    for i in 0..4 {
        let now = T0 + i * 10_000;
        let (_, e) = with_events(&ctx, &mut st, now, |b| {
            totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, "000000", now, b)
        });
        got.push((e.flags, e.failures_left));
    }
    let lock = EVENT_FAILURE_COUNTED | EVENT_LOCK_STARTED;
    assert_eq!(
        got,
        [
            (EVENT_FAILURE_COUNTED, 2),
            (EVENT_FAILURE_COUNTED, 1),
            (lock, 1),
            (EVENT_FAILURE_COUNTED | EVENT_BLOCKED, 0)
        ]
    );
}
