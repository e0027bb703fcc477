use super::*;
use crate::policy::Setting;
use crate::rng::{ChaCha20Rng, SeedableRng};

const KEY2: [u8; 32] = [0x42; 32];
const KEY1: [u8; 32] = [0x17; 32];
const T0: u64 = 1_700_000_000;

fn ctx() -> Context {
    let mut c = Context::new(&KEY2, 2).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([3; 32])
}

fn failures(state: &[u8; STATE_BYTES]) -> u16 {
    State::decode(state, Kind::Pin).unwrap().failures
}

/// `hash_len` refuses what `hash` refuses, in the same order, and otherwise gives the exact
/// length of the string `hash` returns (for both PIN lengths, key ids of one and two digits
/// and iteration counts of five and six).
#[test]
fn hash_len_is_the_preflight_of_hash() {
    let mut c = ctx();
    c.add_key(&KEY1, 1).unwrap();
    for (account, pin) in [("", "12"), ("", "385027"), ("a", "12"), ("a", "38502x"), ("a", "12345")] {
        let want = hash_with_rng(&c, account, pin, &mut rng()).map(|h| h.as_str().len());
        assert!(want.is_err());
        assert_eq!(hash_len(&c, account, pin), want, "{account:?} {pin:?}");
    }
    for iterations in [10_000, 100_000] {
        let mut c = Context::new(&KEY2, 15).unwrap();
        c.set(Setting::PinIterations, iterations).unwrap();
        for pin in ["3850", "385027"] {
            let h = hash_with_rng(&c, "acct-1", pin, &mut rng()).unwrap();
            assert_eq!(hash_len(&c, "acct-1", pin), Ok(h.as_str().len()), "{h}");
        }
    }
    assert_eq!(hash_len(&c, "", "12"), Err(Error::PinFormat), "the format first");
}

#[test]
fn hash_then_verify_wrong_and_lockout() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct-1", "385027", &mut rng()).unwrap();
    assert!(h.as_str().starts_with("$pcodes-pin$v=2,k=2,l=3,i=3334,n=6$"), "{h}");
    assert!(h.as_str().len() < PIN_HASH_BYTES);
    let mut st = [0u8; STATE_BYTES];
    assert_eq!(verify(&c, "acct-1", "385027", h.as_str(), T0, &mut st), Ok(()));
    assert_eq!(failures(&st), 0);
    assert_eq!(verify(&c, "acct-1", "385028", h.as_str(), T0, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 1);
    assert_eq!(verify(&c, "acct-1", "3850", h.as_str(), T0, &mut st), Err(Error::Wrong));
    // Not counted: format.
    assert_eq!(verify(&c, "acct-1", "38502x", h.as_str(), T0, &mut st), Err(Error::PinFormat));
    assert_eq!(verify(&c, "acct-1", "38502", h.as_str(), T0, &mut st), Err(Error::PinFormat));
    assert_eq!(failures(&st), 2);
    assert_eq!(verify(&c, "acct-1", "385027", h.as_str(), T0, &mut st), Ok(()));
    assert_eq!(failures(&st), 0);
    for i in 0..5 {
        assert_eq!(verify(&c, "acct-1", "111111", h.as_str(), T0 + i, &mut st), Err(Error::Wrong));
    }
    assert_eq!(verify(&c, "acct-1", "385027", h.as_str(), T0 + 5, &mut st), Err(Error::Locked));
    assert_eq!(crate::state::retry_at(&st, T0 + 5), Ok(T0 + 4 + 900));
    assert_eq!(verify(&c, "acct-1", "385027", h.as_str(), T0 + 904, &mut st), Ok(()));
}

#[test]
fn copied_edited_rotated_and_unknown() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct-1", "3861", &mut rng()).unwrap();
    let mut st = [0u8; STATE_BYTES];
    assert_eq!(verify(&c, "acct-2", "3861", h.as_str(), T0, &mut st), Err(Error::Wrong), "copied");
    let edited = h.as_str().replace("i=3334", "i=3335");
    assert_eq!(verify(&c, "acct-1", "3861", edited.as_str(), T0, &mut st), Err(Error::Wrong), "iterations");
    // Fewer lanes with the same work, or more: the lane count is under the tag too.
    for relanes in [h.as_str().replace("l=3,i=3334", "l=1,i=10000"), h.as_str().replace("l=3", "l=4")] {
        let mut s2 = [0u8; STATE_BYTES];
        assert_eq!(
            verify(&c, "acct-1", "3861", relanes.as_str(), T0, &mut s2),
            Err(Error::Wrong),
            "{relanes}"
        );
    }
    let relen = h.as_str().replace("n=4", "n=6");
    assert_eq!(verify(&c, "acct-1", "3861", relen.as_str(), T0, &mut st), Err(Error::Wrong), "length");
    assert_eq!(failures(&st), 3);
    // Other key id: unknown to this context.
    let other = h.as_str().replace("k=2", "k=1");
    assert_eq!(verify(&c, "acct-1", "3861", other.as_str(), T0, &mut st), Err(Error::UnknownKey));
    assert_eq!(needs_rehash(&c, &other), Ok(true));
    assert_eq!(verify(&c, "acct-1", "3861", "$pcodes-pin$junk", T0, &mut st), Err(Error::MalformedHash));
    assert_eq!(needs_rehash(&c, "junk"), Err(Error::MalformedHash));
    assert_eq!(failures(&st), 3, "none of those counted");

    // Rotation: a hash made under key 1 still verifies once key 2 is current, and needs a rehash.
    let mut old = Context::new(&KEY1, 1).unwrap();
    old.set(Setting::PinIterations, 10_000).unwrap();
    let h1 = hash_with_rng(&old, "acct-1", "3861", &mut rng()).unwrap();
    let mut rotated = ctx();
    rotated.add_key(&KEY1, 1).unwrap();
    assert_eq!(verify(&rotated, "acct-1", "3861", h1.as_str(), T0, &mut st), Ok(()));
    assert_eq!(needs_rehash(&rotated, h1.as_str()), Ok(true));
    assert_eq!(needs_rehash(&rotated, h.as_str()), Ok(false));
    rotated.set(Setting::PinIterations, 20_000).unwrap();
    assert_eq!(needs_rehash(&rotated, h.as_str()), Ok(true), "iterations changed");
    assert_eq!(verify(&rotated, "acct-1", "3861", h.as_str(), T0, &mut st), Ok(()), "old iterations verify");
    // PIN_LENGTHS narrowed to 6: a 4-digit PIN set earlier still verifies.
    rotated.set(Setting::PinLengths, 1 << 6).unwrap();
    assert_eq!(verify(&rotated, "acct-1", "3861", h.as_str(), T0, &mut st), Ok(()));
    assert_eq!(hash_with_rng(&rotated, "acct-1", "3861", &mut rng()).err(), Some(Error::PinFormat));
}

#[test]
fn state_errors_leave_the_blob() {
    let c = ctx();
    let h = hash_with_rng(&c, "a", "3861", &mut rng()).unwrap();
    let mut link = State::fresh(Kind::Link).encode();
    let copy = link;
    assert_eq!(verify(&c, "a", "3861", h.as_str(), T0, &mut link), Err(Error::CorruptState));
    assert_eq!(verify_begin(&c, "3861", h.as_str(), T0, &mut link), Err(Error::CorruptState));
    assert_eq!(verify_finish(&c, "a", "3861", h.as_str(), T0, &mut link), Err(Error::CorruptState));
    assert_eq!(link, copy);
    assert_eq!(hash_with_rng(&c, "", "3861", &mut rng()).err(), Some(Error::InvalidArgument));
}

/// Two-phase: begin pre-counts, so N parallel attempts that all passed `begin` (each CAS
/// succeeding in turn) can never exceed the limit; finish without begin computes nothing.
#[test]
fn two_phase_protocol() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    let h = h.as_str();
    let mut st = [0u8; STATE_BYTES];
    assert_eq!(verify_finish(&c, "acct", "385027", h, T0, &mut st), Err(Error::NoChallenge));
    // Ten parallel guesses: each runs begin against the latest stored blob (CAS order).
    let mut admitted = 0;
    for _ in 0..10 {
        match verify_begin(&c, "000001", h, T0, &mut st) {
            Ok(()) => admitted += 1,
            Err(e) => assert_eq!(e, Error::Locked),
        }
    }
    assert_eq!(admitted, 5, "the limit holds before any PBKDF2 ran");
    assert_eq!(failures(&st), 5);
    for _ in 0..5 {
        assert_eq!(verify_finish(&c, "acct", "000001", h, T0, &mut st), Err(Error::Wrong));
    }
    assert_eq!(
        verify_finish(&c, "acct", "000001", h, T0, &mut st),
        Err(Error::NoChallenge),
        "credits used up"
    );
    assert_eq!(failures(&st), 5);
    assert_eq!(verify_begin(&c, "385027", h, T0 + 1, &mut st), Err(Error::Locked));

    // After the lock: the right PIN, begin then finish, clears; the blob equals one-call verify's.
    let mut a = st;
    verify_begin(&c, "385027", h, T0 + 900, &mut a).unwrap();
    assert_eq!(failures(&a), 6);
    verify_finish(&c, "acct", "385027", h, T0 + 900, &mut a).unwrap();
    let mut b = st;
    verify(&c, "acct", "385027", h, T0 + 900, &mut b).unwrap();
    assert_eq!(a, b);
    assert_eq!(failures(&a), 0);
    // The fifth begin locks, yet its finish with the right PIN succeeds and unlocks.
    let mut s = [0u8; STATE_BYTES];
    for _ in 0..4 {
        verify(&c, "acct", "000001", h, T0, &mut s).unwrap_err();
    }
    verify_begin(&c, "385027", h, T0, &mut s).unwrap();
    assert_eq!(crate::state::retry_at(&s, T0), Ok(T0 + 900));
    verify_finish(&c, "acct", "385027", h, T0, &mut s).unwrap();
    assert_eq!(crate::state::retry_at(&s, T0), Ok(0));
}

#[test]
fn dummy_takes_as_long_as_a_real_verify() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    let mut d = [0u8; STATE_BYTES];
    assert_eq!(verify(&c, "nobody", "385027", Stored::UnknownAccount, T0, &mut d), Err(Error::Wrong));
    assert_eq!(verify(&c, "nobody", "12x", Stored::UnknownAccount, T0, &mut d), Err(Error::PinFormat));
    // The same PBKDF2 work, counted exactly (wall time on a shared machine is noise here;
    // `tests/timing.rs` measures the time itself, in release, with a statistical test).
    let st = [0u8; STATE_BYTES];
    let real = super::pbkdf2::work::of(|| {
        let mut s = st;
        let _ = verify(&c, "acct", "385028", h.as_str(), T0, &mut s);
    });
    let dummy = super::pbkdf2::work::of(|| {
        let mut s = st;
        let _ = verify(&c, "nobody", "385028", Stored::UnknownAccount, T0, &mut s);
    });
    assert!(real >= c.get(Setting::PinIterations), "real {real}");
    assert_eq!(dummy, real, "PBKDF2 work: real {real}, dummy {dummy}");
}

/// Regression (issue 13, flaw 1): an unknown account used to ignore the blob, so it kept
/// answering `WRONG` where a real account answered `LOCKED`. Now the same calls give the
/// same statuses, the same `retry_at` and the same blobs, through a block and a reset.
#[test]
fn unknown_account_locks_like_a_real_one() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    let (mut real, mut unknown) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    for i in 0..40u64 {
        let now = T0 + i * 400;
        let pin = if i % 7 == 3 { "12a4" } else { "385028" };
        let r = verify(&c, "acct", pin, h.as_str(), now, &mut real);
        let u = verify(&c, "nobody", pin, Stored::UnknownAccount, now, &mut unknown);
        assert_eq!(r, u, "attempt {i}");
        assert_eq!(real, unknown, "blob after attempt {i}");
        assert_eq!(crate::state::retry_at(&real, now), crate::state::retry_at(&unknown, now));
        if i == 30 {
            crate::state::reset(&mut real).unwrap();
            crate::state::reset(&mut unknown).unwrap();
        }
    }
    assert_eq!(verify(&c, "acct", "385028", h.as_str(), T0, &mut [0u8; STATE_BYTES]), Err(Error::Wrong));
    // Two phases for the unknown account: the same blobs as for a real one.
    let (mut real, mut unknown) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    verify_begin(&c, "385028", h.as_str(), T0, &mut real).unwrap();
    verify_begin(&c, "385028", Stored::UnknownAccount, T0, &mut unknown).unwrap();
    assert_eq!(real, unknown);
    let r = verify_finish(&c, "acct", "385028", h.as_str(), T0, &mut real);
    let u = verify_finish(&c, "nobody", "385028", Stored::UnknownAccount, T0, &mut unknown);
    assert_eq!((r, real), (u, unknown));
    // Even the PIN that would be right for some account never matches the dummy.
    assert_eq!(
        verify(&c, "acct", "385027", Stored::UnknownAccount, T0, &mut [0u8; STATE_BYTES]),
        Err(Error::Wrong)
    );
}

/// Regression (issue 13, flaw 5): credits of abandoned `verify_begin`s used to survive a
/// success and a reset, and then let `verify_finish` without a begin answer uncounted.
#[test]
fn pending_credits_do_not_outlive_their_attempts() {
    let c = ctx();
    let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
    let h = h.as_str();
    // Three abandoned begins, then a successful one-call verify.
    let mut st = [0u8; STATE_BYTES];
    for _ in 0..3 {
        verify_begin(&c, "000001", h, T0, &mut st).unwrap();
    }
    assert_eq!(verify(&c, "acct", "385027", h, T0, &mut st), Ok(()));
    let s = State::decode(&st, Kind::Pin).unwrap();
    // The success gives back its own budget charge, not those of the abandoned begins.
    assert_eq!(
        (s.failures, s.locked_until, s.payload, s.budget),
        (0, 0, [0; 40], 3),
        "success clears failures and credits"
    );
    assert_eq!(verify_finish(&c, "acct", "000002", h, T0, &mut st), Err(Error::NoChallenge));
    // Abandoned begins, then a support-desk reset.
    for _ in 0..3 {
        verify_begin(&c, "000001", h, T0, &mut st).unwrap();
    }
    crate::state::reset(&mut st).unwrap();
    assert_eq!(verify_finish(&c, "acct", "000002", h, T0, &mut st), Err(Error::NoChallenge));
    assert_eq!(verify_apply(PinVerdict { ok: true }, T0, &mut st), Err(Error::NoChallenge));
    // A blob claiming more credits than counted failures is corrupt.
    let mut forged = [0u8; STATE_BYTES];
    verify_begin(&c, "000001", h, T0, &mut forged).unwrap();
    forged[crate::blob::PAYLOAD_AT] = 2;
    let copy = forged;
    assert_eq!(verify_finish(&c, "acct", "000002", h, T0, &mut forged), Err(Error::CorruptState));
    assert_eq!(forged, copy);
    // Stray payload bytes are corrupt too.
    let mut stray = [0u8; STATE_BYTES];
    verify_begin(&c, "000001", h, T0, &mut stray).unwrap();
    stray[STATE_BYTES - 1] = 1;
    assert_eq!(verify(&c, "acct", "385027", h, T0, &mut stray), Err(Error::CorruptState));
}

/// The default (600,000 single-lane iterations, over the default lanes) is what a new hash
/// uses.
#[test]
fn default_iterations() {
    let c = Context::new(&KEY2, 2).unwrap();
    let h = hash_with_rng(&c, "acct", "3861", &mut rng()).unwrap();
    let p = params(h.as_str()).unwrap();
    assert_eq!((p.lanes, p.iterations), (3, 200_000));
    let mut st = [0u8; STATE_BYTES];
    assert_eq!(verify(&c, "acct", "3861", h.as_str(), T0, &mut st), Ok(()));
    assert_eq!(needs_rehash(&c, h.as_str()), Ok(false));
}
