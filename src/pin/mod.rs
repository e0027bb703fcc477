//! PINs: policy, peppered hashing, verification with lockout, rehash on policy change.
//!
//! - [`check`] (at set-up time): format, confirmation, blocklist and patterns
//!   ([`policy`], [`blocklist`]);
//! - [`hash()`] / [`hash_with_rng`]: PBKDF2-HMAC-SHA256 ([`pbkdf2`]) with a fresh salt, then a
//!   keyed step with the context's PIN pepper bound to the account id and the parameters; the
//!   result is a self-describing string ([`mod@hash`] describes the format);
//! - [`verify`] (one call) or [`verify_begin`] + [`verify_finish`] (two phases, for hosts that
//!   store the state blob with compare-and-swap and may run attempts in parallel);
//! - [`verify_dummy`] for unknown accounts, taking the same time as a real verification;
//! - [`needs_rehash`] after a successful verification: key rotated, iterations changed, old format.
//!
//! # Lockout and the two-phase protocol
//!
//! Every wrong PIN counts as a failure in the account's state blob ([`Kind::Pin`]); see
//! [`crate::lockout`] for the thresholds. The failure is recorded **before** the expensive
//! PBKDF2 runs, so parallel wrong guesses cannot slip past the limit:
//!
//! 1. read the row (stored hash, blob `old`);
//! 2. [`verify_begin`]: checks the lock, the hash string and the PIN's format, then writes the
//!    blob with this attempt pre-counted as a failure (and one *pending attempt* credit);
//! 3. store it with `UPDATE … SET state = new WHERE id = ? AND state = old`; if no row was
//!    updated, another attempt raced: go back to 1 (nothing was computed yet);
//! 4. [`verify_finish`]: consumes the credit, runs PBKDF2 and compares in constant time; `Ok`
//!    clears the failures and any lock; [`Error::Wrong`] leaves the pre-counted failure;
//! 5. store that blob with compare-and-swap again. The verdict of step 4 is final either way
//!    (the attempt was already paid for in step 3). If this write loses a race after `Ok`,
//!    re-read and call [`verify_finish`] again to clear the counter, or leave it (only stricter).
//!
//! [`verify_finish`] without a pending credit in the blob is [`Error::NoChallenge`] (and
//! computes nothing), so a host that forgets step 2 cannot become an uncounted guessing oracle.
//! [`verify`] does both phases on one blob: correct for hosts that serialize attempts per
//! account (a row lock), and its result blob is the same as after begin + finish.
//!
//! # State payload (kind [`Kind::Pin`])
//!
//! Bytes 0–1 of the payload: pending attempt credits (u16, little-endian); the rest is zero.

pub mod blocklist;
pub mod hash;
pub mod pbkdf2;
pub mod policy;

use core::hint::black_box;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::lockout;
use crate::mac::ct_eq;
use crate::rng::CryptoRng;
use crate::state::{Kind, STATE_BYTES, State};

pub use hash::{HASH_VERSION, HashParams, PIN_HASH_BYTES, PinHash, SALT_BYTES, params};
pub use policy::{BirthDate, Weakness, check, check_with_reason, weakness};

/// Lengths a stored hash may declare and a PIN to verify may have (whatever `PIN_LENGTHS` now
/// allows for new PINs: PINs set under an older policy keep working).
const VERIFY_LENGTHS: u32 = crate::policy::PIN_LENGTHS_DEFAULT;

/// Hashes `pin` for `account_id` with a fresh salt from `rng`, the context's current PIN
/// pepper and `PIN_ITERATIONS`. Call [`check`] first when the PIN is being chosen.
///
/// # Errors
/// [`Error::PinFormat`] if `pin` is not an allowed length of ASCII digits;
/// [`Error::InvalidArgument`] for an empty `account_id`.
pub fn hash_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    rng: &mut R,
) -> Result<PinHash> {
    if !policy::format_ok(pin, ctx.policy().pin_lengths) {
        return Err(Error::PinFormat);
    }
    if account_id.is_empty() {
        return Err(Error::InvalidArgument);
    }
    let mut salt = [0u8; SALT_BYTES];
    rng.fill_bytes(&mut salt);
    let (key_id, pepper) = ctx.keys().current(crate::keys::Purpose::Pin);
    let p = HashParams {
        version: HASH_VERSION,
        key_id: key_id.into(),
        iterations: ctx.policy().pin_iterations,
        length: u32::try_from(pin.len()).unwrap_or(0),
    };
    let tag = hash::tag(pepper, account_id, pin, &p, &salt);
    Ok(hash::format(&p, &salt, &tag))
}

/// The length of the string [`hash_with_rng`] would produce now for a PIN of `pin_len` digits
/// (so a C caller's buffer can be checked before the expensive work).
#[cfg(feature = "capi")]
pub(crate) fn hash_len(ctx: &Context, pin_len: usize) -> usize {
    let p = HashParams {
        version: HASH_VERSION,
        key_id: ctx.keys().current_id().into(),
        iterations: ctx.policy().pin_iterations,
        length: u32::try_from(pin_len).unwrap_or(0),
    };
    hash::format(&p, &[0; SALT_BYTES], &[0; 32]).as_str().len()
}

/// [`hash_with_rng`] with the thread's OS-seeded generator.
///
/// # Errors
/// As [`hash_with_rng`], and [`Error::RngFailure`].
#[cfg(feature = "std")]
pub fn hash(ctx: &Context, account_id: &str, pin: &str) -> Result<PinHash> {
    crate::rng::with_system_rng(SALT_BYTES as u64, |rng| hash_with_rng(ctx, account_id, pin, rng))?
}

fn pending(s: &State) -> u16 {
    u16::from_le_bytes([s.payload[0], s.payload[1]])
}

fn set_pending(s: &mut State, v: u16) {
    s.payload[..2].copy_from_slice(&v.to_le_bytes());
}

/// The checks before any computation: lock, stored string, key, PIN format.
fn admit(ctx: &Context, pin: &str, stored: &str, s: &State, now: u64) -> Result<hash::Parsed> {
    lockout::check(s, now)?;
    let parsed = hash::parse(stored)?;
    hash::pepper(ctx, parsed.params.key_id)?;
    if !policy::format_ok(pin, VERIFY_LENGTHS) {
        return Err(Error::PinFormat);
    }
    Ok(parsed)
}

/// PBKDF2 + keyed step + constant-time comparison.
fn matches(ctx: &Context, account_id: &str, pin: &str, parsed: &hash::Parsed) -> Result<bool> {
    let pepper = hash::pepper(ctx, parsed.params.key_id)?;
    let mut t = hash::tag(pepper, account_id, pin, &parsed.params, &parsed.salt);
    let len_ok = pin.len() == parsed.params.length as usize;
    let ok = ct_eq(&t, &parsed.tag) & len_ok;
    zeroize::Zeroize::zeroize(&mut t);
    Ok(ok)
}

/// Verifies `pin` for `account_id` against the stored hash, counting a wrong PIN in the
/// account's state blob (one call: see the module docs for when to use the two-phase API).
///
/// Checks in order: state blob, lock, stored string, key id, PIN format; then the failure is
/// recorded, PBKDF2 runs, and a match clears the failures.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched), [`Error::Locked`], [`Error::Blocked`],
/// [`Error::MalformedHash`], [`Error::UnknownKey`], [`Error::PinFormat`] (none of these is
/// counted), [`Error::Wrong`] (counted).
pub fn verify(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    // The two phases on one blob: the same checks, the failure counted before PBKDF2, and the
    // pending-attempt credit added and consumed again, so the blob is exactly the two-phase one.
    verify_begin(ctx, account_id, pin, stored, now, state)?;
    verify_finish(ctx, account_id, pin, stored, now, state)
}

/// Phase 1 of a two-phase verification: checks the lock, the stored string and the PIN's
/// format, and pre-counts this attempt as a failure (plus one pending-attempt credit). On `Ok`
/// the host must store the new blob with compare-and-swap **before** calling [`verify_finish`].
/// Cheap: no PBKDF2. `account_id` is not used yet (same arguments as [`verify`]).
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched), [`Error::Locked`], [`Error::Blocked`],
/// [`Error::MalformedHash`], [`Error::UnknownKey`], [`Error::PinFormat`]; none is counted.
pub fn verify_begin(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    let _ = account_id;
    let mut s = State::decode(state, Kind::Pin)?;
    let r = admit(ctx, pin, stored, &s, now).map(|_| {
        lockout::record_failure(&mut s, ctx.policy(), now);
        let credits = pending(&s).saturating_add(1);
        set_pending(&mut s, credits);
    });
    *state = s.encode();
    r
}

/// Phase 2: consumes a pending-attempt credit, runs PBKDF2 and compares in constant time. `Ok`
/// clears the failures and any lock (store the blob with compare-and-swap); on
/// [`Error::Wrong`] the failure counted by [`verify_begin`] stays. The lock is not checked
/// again (this attempt was admitted by phase 1, possibly as the one that locked).
///
/// This is [`verify_compute`] followed by [`verify_apply`]; a host whose compare-and-swap of
/// the phase-2 blob can lose a race should call those two itself, so that a retry re-applies
/// the verdict to the fresh blob without computing PBKDF2 again.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched), [`Error::NoChallenge`] (no pending attempt: call
/// [`verify_begin`] first; nothing computed), [`Error::MalformedHash`], [`Error::UnknownKey`],
/// [`Error::PinFormat`], [`Error::Wrong`].
pub fn verify_finish(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    if pending(&State::decode(state, Kind::Pin)?) == 0 {
        return Err(Error::NoChallenge);
    }
    let verdict = verify_compute(ctx, account_id, pin, stored)?;
    verify_apply(verdict, now, state)
}

/// The outcome of the expensive part of a verification ([`verify_compute`]), to be recorded in
/// the state blob with [`verify_apply`]. Opaque; `Debug` does not tell which it is.
#[derive(Clone, Copy)]
#[must_use]
pub struct PinVerdict {
    ok: bool,
}

#[cfg(feature = "capi")]
impl PinVerdict {
    /// For the C API, which passes the verdict as a `bool`.
    pub(crate) fn from_match(ok: bool) -> Self {
        Self { ok }
    }

    /// For the C API.
    pub(crate) fn matched(self) -> bool {
        self.ok
    }
}

impl core::fmt::Debug for PinVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PinVerdict(..)")
    }
}

/// Phase 2a, after a stored [`verify_begin`]: PBKDF2, the keyed step and the constant-time
/// comparison, without touching any state.
///
/// # Errors
/// [`Error::MalformedHash`], [`Error::UnknownKey`], [`Error::PinFormat`].
pub fn verify_compute(ctx: &Context, account_id: &str, pin: &str, stored: &str) -> Result<PinVerdict> {
    let parsed = hash::parse(stored)?;
    if !policy::format_ok(pin, VERIFY_LENGTHS) {
        return Err(Error::PinFormat);
    }
    Ok(PinVerdict { ok: matches(ctx, account_id, pin, &parsed)? })
}

/// Phase 2b: records a [`PinVerdict`] in the state blob (cheap; may be retried on a lost
/// compare-and-swap with the freshly read blob): consumes a pending-attempt credit; a match
/// clears the failures and any lock.
///
/// # Errors
/// [`Error::CorruptState`] (blob untouched), [`Error::NoChallenge`] (no pending attempt: the
/// verdict is not recorded), [`Error::Wrong`] for a verdict that did not match.
pub fn verify_apply(verdict: PinVerdict, now: u64, state: &mut [u8; STATE_BYTES]) -> Result<()> {
    let _ = now;
    let mut s = State::decode(state, Kind::Pin)?;
    let credits = pending(&s);
    let r = if credits == 0 {
        Err(Error::NoChallenge)
    } else {
        set_pending(&mut s, credits - 1);
        if verdict.ok {
            lockout::record_success(&mut s);
            Ok(())
        } else {
            Err(Error::Wrong)
        }
    };
    *state = s.encode();
    r
}

/// For an account that does not exist: does the same work as [`verify`] (PBKDF2 with the
/// current `PIN_ITERATIONS` and the keyed step, against a fixed dummy salt) and returns
/// [`Error::Wrong`], so that response time does not reveal which accounts exist.
///
/// # Errors
/// Always: [`Error::PinFormat`] for a PIN that [`verify`] would refuse the same way, otherwise
/// [`Error::Wrong`].
pub fn verify_dummy(ctx: &Context, account_id: &str, pin: &str) -> Result<()> {
    if !policy::format_ok(pin, VERIFY_LENGTHS) {
        return Err(Error::PinFormat);
    }
    let (key_id, pepper) = ctx.keys().current(crate::keys::Purpose::Pin);
    let p = HashParams {
        version: HASH_VERSION,
        key_id: key_id.into(),
        iterations: ctx.policy().pin_iterations,
        length: u32::try_from(pin.len()).unwrap_or(0),
    };
    let salt = [0x5a; SALT_BYTES];
    let t = hash::tag(pepper, account_id, pin, &p, &salt);
    // Compare like a real verification; the result is discarded.
    let _ = black_box(ct_eq(black_box(&t), &[0u8; 32]));
    Err(Error::Wrong)
}

/// The format check [`verify_begin`] does, for the dummy path of the C API.
#[cfg(feature = "capi")]
pub(crate) fn verify_dummy_format(pin: &str) -> Result<()> {
    if policy::format_ok(pin, VERIFY_LENGTHS) { Ok(()) } else { Err(Error::PinFormat) }
}

/// Whether a stored hash should be replaced (by [`hash()`] of the PIN just verified): its key id
/// is not the current one (also when the context no longer holds it), its iterations differ
/// from `PIN_ITERATIONS`, or its format version is older than [`HASH_VERSION`].
///
/// # Errors
/// [`Error::MalformedHash`] if the string cannot be parsed.
pub fn needs_rehash(ctx: &Context, stored: &str) -> Result<bool> {
    let p = hash::parse(stored)?.params;
    Ok(p.key_id != u32::from(ctx.keys().current_id())
        || p.iterations != ctx.policy().pin_iterations
        || p.version < HASH_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Setting;
    use crate::rng::{ChaCha20Rng, SeedableRng};
    use std::string::String;

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

    #[test]
    fn hash_then_verify_wrong_and_lockout() {
        let c = ctx();
        let h = hash_with_rng(&c, "acct-1", "385027", &mut rng()).unwrap();
        assert!(h.as_str().starts_with("$pcodes-pin$v=1,k=2,i=10000,n=6$"), "{h}");
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
        let edited = h.as_str().replace("i=10000", "i=10001");
        assert_eq!(verify(&c, "acct-1", "3861", &edited, T0, &mut st), Err(Error::Wrong), "iterations");
        let relen = h.as_str().replace("n=4", "n=6");
        assert_eq!(verify(&c, "acct-1", "3861", &relen, T0, &mut st), Err(Error::Wrong), "length");
        assert_eq!(failures(&st), 3);
        // Other key id: unknown to this context.
        let other = h.as_str().replace("k=2", "k=1");
        assert_eq!(verify(&c, "acct-1", "3861", &other, T0, &mut st), Err(Error::UnknownKey));
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
        assert_eq!(
            verify(&rotated, "acct-1", "3861", h.as_str(), T0, &mut st),
            Ok(()),
            "old iterations verify"
        );
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
        assert_eq!(verify_begin(&c, "a", "3861", h.as_str(), T0, &mut link), Err(Error::CorruptState));
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
            match verify_begin(&c, "acct", "000001", h, T0, &mut st) {
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
        assert_eq!(verify_begin(&c, "acct", "385027", h, T0 + 1, &mut st), Err(Error::Locked));

        // After the lock: the right PIN, begin then finish, clears; the blob equals one-call verify's.
        let mut a = st;
        verify_begin(&c, "acct", "385027", h, T0 + 900, &mut a).unwrap();
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
        verify_begin(&c, "acct", "385027", h, T0, &mut s).unwrap();
        assert_eq!(crate::state::retry_at(&s, T0), Ok(T0 + 900));
        verify_finish(&c, "acct", "385027", h, T0, &mut s).unwrap();
        assert_eq!(crate::state::retry_at(&s, T0), Ok(0));
    }

    #[test]
    fn dummy_takes_as_long_as_a_real_verify() {
        let c = ctx();
        let h = hash_with_rng(&c, "acct", "385027", &mut rng()).unwrap();
        assert_eq!(verify_dummy(&c, "nobody", "385027"), Err(Error::Wrong));
        assert_eq!(verify_dummy(&c, "nobody", "12x"), Err(Error::PinFormat));
        let time = |f: &dyn Fn()| {
            let t = std::time::Instant::now();
            f();
            t.elapsed().as_secs_f64()
        };
        let st = [0u8; STATE_BYTES];
        // Interleaved, best of seven each: the machine is shared, so take the least disturbed run.
        let (mut real, mut dummy) = (f64::MAX, f64::MAX);
        for _ in 0..7 {
            real = real.min(time(&|| {
                let mut s = st;
                let _ = verify(&c, "acct", "385028", h.as_str(), T0, &mut s);
            }));
            dummy = dummy.min(time(&|| {
                let _ = verify_dummy(&c, "nobody", "385028");
            }));
        }
        std::println!("real {real:.4} s, dummy {dummy:.4} s");
        assert!(dummy > real * 0.75 && dummy < real * 1.33, "real {real} dummy {dummy}");
    }

    /// The default (600,000 iterations) is what a new hash uses.
    #[test]
    fn default_iterations() {
        let c = Context::new(&KEY2, 2).unwrap();
        let h = hash_with_rng(&c, "acct", "3861", &mut rng()).unwrap();
        assert_eq!(params(h.as_str()).unwrap().iterations, 600_000);
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(verify(&c, "acct", "3861", h.as_str(), T0, &mut st), Ok(()));
        assert_eq!(needs_rehash(&c, h.as_str()), Ok(false));
    }

    /// The whole string re-computed by Python (`hmac`, `hashlib`, `base64`): key derivation,
    /// PBKDF2, the keyed step and the encoding.
    #[test]
    fn hash_string_agrees_with_python() {
        let c = ctx();
        let h = hash_with_rng(&c, "user@example.org", "846204", &mut rng()).unwrap();
        let script = std::format!(
            r#"
import base64, hashlib, hmac, struct
h = "{h}"
_, _, params, salt_t, tag_t = h.split("$")
p = dict(kv.split("=") for kv in params.split(","))
salt = base64.b64decode(salt_t + "==")
master = bytes([0x42] * 32)
pepper = hmac.new(master, b"portal-codes/v1/pin-pepper\x00" + bytes([int(p["k"])]), hashlib.sha256).digest()
dk = hashlib.pbkdf2_hmac("sha256", b"846204", salt, int(p["i"]), 32)
acct = "user@example.org".encode()
msg = (b"portal-codes/pin/v1\x00" + struct.pack(">I", len(acct)) + acct + bytes([int(p["v"]), int(p["k"])])
       + struct.pack(">I", int(p["i"])) + bytes([int(p["n"])]) + salt + dk)
tag = base64.b64encode(hmac.new(pepper, msg, hashlib.sha256).digest()).decode().rstrip("=")
print(tag == tag_t, len(salt))
"#
        );
        match std::process::Command::new("python3").arg("-c").arg(&script).output() {
            Ok(o) if o.status.success() => {
                assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), "True 16");
            }
            other => {
                assert!(
                    std::env::var("PCODES_REQUIRE_TOOLS").as_deref() != Ok("1"),
                    "python3 required (PCODES_REQUIRE_TOOLS=1): {other:?}"
                );
                std::println!("skipped: python3 not installed");
            }
        }
    }
}
