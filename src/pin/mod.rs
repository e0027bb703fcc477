//! PINs: policy, peppered hashing, verification with lockout, rehash on policy change.
//!
//! - [`check`] (at set-up time): format, confirmation, blocklist and patterns
//!   ([`policy`], [`blocklist`]);
//! - [`hash()`] / [`hash_with_rng`]: PBKDF2-HMAC-SHA256 ([`pbkdf2`]) with a fresh salt, then a
//!   keyed step with the context's PIN pepper bound to the account id and the parameters; the
//!   result is a self-describing string ([`mod@hash`] describes the format);
//! - [`verify`] (one call) or [`verify_begin`] + [`verify_finish`] (two phases, for hosts that
//!   store the state blob with compare-and-swap and may run attempts in parallel);
//! - [`Stored::UnknownAccount`] in place of the stored hash for unknown accounts: the same
//!   work, state changes and time as a wrong PIN on a real account (C: `stored = NULL`);
//! - [`needs_rehash`] after a successful verification: key rotated, iterations changed, old format;
//! - [`generate()`] / [`generate_with_rng`] ("Get PIN"): a PIN drawn uniformly from those [`check`]
//!   accepts for the holder (`src/pin/generate.rs` describes the bounded rejection sampling).
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
mod generate;
pub mod hash;
pub mod pbkdf2;
#[cfg(feature = "alloc")]
pub mod pepper;
pub mod policy;

use core::hint::black_box;

use crate::blob::{Kind, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::{self, Count, Gate, Outcome};
use crate::mac::ct_eq;
use crate::rng::CryptoRng;

#[cfg(feature = "std")]
pub use generate::generate;
pub use generate::{GENERATE_BYTES, GENERATE_MAX_DRAWS, GeneratedPin, generate_with_rng};
pub use hash::{HASH_VERSION, HashParams, MAX_LANES, PIN_HASH_BYTES, PinHash, SALT_BYTES, params};
#[cfg(feature = "alloc")]
pub use pepper::{Pepper, PepperError};
pub use policy::{BirthDate, Weakness, check, check_reason, weakness};

/// Lengths a stored hash may declare and a PIN to verify may have (whatever `PIN_LENGTHS` now
/// allows for new PINs: PINs set under an older policy keep working).
const VERIFY_LENGTHS: u32 = crate::policy::PIN_LENGTHS_DEFAULT;

/// Hashes `pin` for `account_id` with a fresh salt from `rng`, the context's current PIN
/// pepper, `PIN_LANES` lanes and `PIN_ITERATIONS` (each lane `⌈PIN_ITERATIONS / PIN_LANES⌉`
/// iterations): a `v=2` string. Call [`check`] first when the PIN is being chosen.
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
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_hash_input(ctx, account_id, pin)?;
    let mut salt = [0u8; SALT_BYTES];
    rng.fill_bytes(&mut salt);
    let p = new_params(ctx, pin);
    let pepper = hash::pepper(ctx, p.key_id)?;
    let tag = hash::tag(pepper, account_id, pin, &p, &salt)?;
    Ok(hash::format(&p, &salt, &tag))
}

/// The checks [`hash_with_rng`] makes before any work.
fn check_hash_input(ctx: &Context, account_id: &str, pin: &str) -> Result<()> {
    if !policy::format_ok(pin, ctx.policy().pin_lengths) {
        return Err(policy::format_error());
    }
    if account_id.is_empty() {
        return Err(Error::InvalidArgument.because(c"account_id: empty"));
    }
    Ok(())
}

/// The preflight of [`hash()`]: makes the same checks of its arguments, then returns the length
/// of the string it would return now (without a NUL), so that a caller can size its buffer
/// before the slow work (this needs no randomness and no PBKDF2).
///
/// # Errors
/// As [`hash_with_rng`]: [`Error::PinFormat`], [`Error::InvalidArgument`].
pub fn hash_len(ctx: &Context, account_id: &str, pin: &str) -> Result<usize> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_hash_input(ctx, account_id, pin)?;
    Ok(hash::format(&new_params(ctx, pin), &[0; SALT_BYTES], &[0; 32]).as_str().len())
}

/// The parameters a new hash of `pin` gets under `ctx`: the current key, `PIN_LANES` lanes of
/// `⌈PIN_ITERATIONS / PIN_LANES⌉` iterations.
fn new_params(ctx: &Context, pin: &str) -> HashParams {
    current_params(ctx, u32::try_from(pin.len()).unwrap_or(0))
}

/// The parameters of a hash made now for a PIN of `length` digits (also the unknown account's
/// dummy).
fn current_params(ctx: &Context, length: u32) -> HashParams {
    let policy = ctx.policy();
    HashParams {
        version: HASH_VERSION,
        key_id: ctx.keys().current_id().into(),
        lanes: policy.pin_lanes,
        iterations: hash::lane_iterations(policy.pin_iterations, policy.pin_lanes),
        length,
    }
}

/// [`hash_with_rng`] with the thread's OS-seeded generator.
///
/// # Errors
/// As [`hash_with_rng`], and [`Error::RngFailure`].
#[cfg(feature = "std")]
pub fn hash(ctx: &Context, account_id: &str, pin: &str) -> Result<PinHash> {
    crate::rng::with_system_rng(SALT_BYTES as u64, |rng| hash_with_rng(ctx, account_id, pin, rng))?
}

/// What the host found for the account: its stored hash string, or nothing (an unknown
/// account, verified against a dummy so that neither the answer, the state blob nor the time
/// tells it apart from a real account). A `&str` converts into [`Stored::Hash`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stored<'a> {
    /// The account's stored hash string.
    Hash(&'a str),
    /// No such account. Pass the state blob the host keeps for the login name that was typed.
    UnknownAccount,
}

impl<'a> From<&'a str> for Stored<'a> {
    fn from(s: &'a str) -> Self {
        Stored::Hash(s)
    }
}

#[cfg(feature = "alloc")]
impl<'a> From<&'a alloc::string::String> for Stored<'a> {
    fn from(s: &'a alloc::string::String) -> Self {
        Stored::Hash(s.as_str())
    }
}

/// The PIN flow's payload: the pending-attempt credits of the two-phase protocol (bytes 0–1,
/// u16 LE; the other 38 bytes are zero). Each credit was paid for by a failure that
/// [`verify_begin`] counted, so there are never more credits than counted failures: a success
/// or [`crate::state::reset`] clears both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Payload {
    pending: u16,
}

impl crate::blob::Payload for Payload {
    const KIND: Kind = Kind::Pin;

    fn decode(b: &[u8; crate::blob::PAYLOAD_BYTES]) -> Result<Self> {
        if b[2..].iter().any(|&x| x != 0) {
            return Err(Error::CorruptState);
        }
        Ok(Self { pending: u16::from_le_bytes([b[0], b[1]]) })
    }

    fn encode(&self, b: &mut [u8]) {
        b[..2].copy_from_slice(&self.pending.to_le_bytes());
    }

    fn check(&self, header: &State) -> Result<()> {
        if self.pending > header.failures { Err(Error::CorruptState) } else { Ok(()) }
    }

    /// The credits were paid for by the failures that [`crate::state::reset`] forgives.
    fn reset(&mut self) {
        self.pending = 0;
    }

    /// Version 1 wrote the same bytes but did not clear the credits on a reset: clamp them to
    /// the failures (each credit must have been paid for by one).
    fn upgrade(_version: u8, header: &State, b: &[u8; crate::blob::PAYLOAD_BYTES]) -> Result<Self> {
        let p = Self::decode(b)?;
        Ok(Self { pending: p.pending.min(header.failures) })
    }
}

/// The hash to compare with: the parsed stored string and its pepper, or the dummy for an
/// unknown account.
enum Target<'c> {
    Real(hash::Parsed, hash::Key<'c>),
    Dummy,
}

/// [`Error::PinFormat`] unless `pin` has a length a stored hash may declare.
fn check_format(pin: &str) -> Result<()> {
    if policy::format_ok(pin, VERIFY_LENGTHS) { Ok(()) } else { Err(Error::PinFormat) }
}

/// The checks before any computation, each done once: the PIN's format ([`Error::PinFormat`])
/// first, before anything that depends on the account, so that a malformed PIN is answered
/// alike (and as fast) for a real and an unknown account; then the stored string
/// ([`Error::MalformedHash`]) and its key ([`Error::UnknownKey`]).
fn admit<'c>(ctx: &'c Context, pin: &str, stored: Stored<'_>) -> Result<Target<'c>> {
    check_format(pin)?;
    let target = match stored {
        Stored::Hash(h) => {
            let parsed = hash::parse(h)?;
            let pepper = hash::pepper(ctx, parsed.params.key_id)?;
            Target::Real(parsed, pepper)
        }
        Stored::UnknownAccount => Target::Dummy,
    };
    Ok(target)
}

/// The fact a verification computes: PBKDF2 + keyed step + constant-time comparison; for the
/// dummy the same work as a new hash (current key, `PIN_LANES`, `PIN_ITERATIONS`) against a
/// fixed salt, never matching (with the host's pepper device, the dummy calls it too).
///
/// # Errors
/// [`Error::PepperFailed`] if the host's pepper device failed: no verdict.
fn matches(ctx: &Context, account_id: &str, pin: &str, target: &Target<'_>) -> Result<bool> {
    let len = u32::try_from(pin.len()).unwrap_or(0);
    let (pepper, params, salt, want) = match target {
        Target::Real(parsed, pepper) => (*pepper, parsed.params, &parsed.salt, &parsed.tag),
        Target::Dummy => {
            let p = current_params(ctx, len);
            (hash::pepper(ctx, p.key_id)?, p, &DUMMY_SALT, &DUMMY_TAG)
        }
    };
    let mut t = hash::tag(pepper, account_id, pin, &params, salt)?;
    pad_iterations(ctx, pin, params.iterations);
    hash::pad_device(ctx, pepper)?;
    let (len_ok, real) = (len == params.length, matches!(target, Target::Real(..)));
    let ok = ct_eq(black_box(&t), want) & len_ok & real;
    zeroize::Zeroize::zeroize(&mut t);
    Ok(ok)
}

/// The PIN table of `docs/verdicts.md`, rows 1–3 (`begin`) after the lock: a refused admission
/// changes nothing; an admitted attempt is counted and gets a pending credit (never more
/// credits than counted failures).
#[allow(clippy::trivially_copy_pass_by_ref)] // the one `decide(header, &payload, facts)` shape
pub(crate) fn decide_begin(h: &State, p: &Payload, admitted: Result<()>) -> Outcome<Payload, ()> {
    if let Err(e) = admitted {
        return Outcome::unchanged(e, h, p);
    }
    let pending = p.pending.saturating_add(1).min(h.failures.saturating_add(1));
    Outcome::new(Ok(()), Count::Failure, h, Payload { pending })
}

/// The PIN table, rows 4–8 (`finish` / `apply`): no credit → `NO_CHALLENGE`; a refused
/// computation keeps the credit; otherwise the credit is consumed, and a match clears the
/// failures, the lock and every other credit.
#[allow(clippy::trivially_copy_pass_by_ref)] // the one `decide` shape
pub(crate) fn decide_finish(h: &State, p: &Payload, matched: Result<bool>) -> Outcome<Payload, ()> {
    if p.pending == 0 {
        return Outcome::unchanged(Error::NoChallenge, h, p);
    }
    match matched {
        Err(e) => Outcome::unchanged(e, h, p),
        // This attempt was charged by `begin`: its success gives the budget charge back.
        Ok(true) => Outcome::new(Ok(()), Count::Refunded, h, Payload { pending: 0 }),
        Ok(false) => Outcome::new(Err(Error::Wrong), Count::No, h, Payload { pending: p.pending - 1 }),
    }
}

/// The one-call form: `begin` then `finish` on the same state, composed in memory (so the blob
/// is exactly the two-phase one), for an admitted attempt.
#[allow(clippy::trivially_copy_pass_by_ref)] // the one `decide` shape
pub(crate) fn decide_verify(h: &State, p: &Payload, matched: bool) -> Outcome<Payload, ()> {
    let begun = decide_begin(h, p, Ok(()));
    let done = decide_finish(h, &begun.next, Ok(matched));
    let counted = if done.counted == Count::Refunded { Count::CountedRefunded } else { Count::Failure };
    Outcome::new(done.verdict, counted, h, done.next)
}

/// Issue 20 §3: a hash stored under fewer iterations per lane than a new hash gets today
/// (written before `PIN_ITERATIONS` was raised, not yet rehashed) costs as much as one made
/// today, as an unknown account's dummy does: the difference is run as PBKDF2 iterations of
/// today's `PIN_LANES` lanes whose result is thrown away. So every verification runs at least
/// today's iterations per lane, and raising the setting never tells real accounts from unknown
/// ones by time. (Lowering the server's time per hash, by lowering `PIN_ITERATIONS` or by
/// raising `PIN_LANES`, makes real accounts with older, slower hashes the slower ones until
/// they are rehashed; see docs/pin.md.)
fn pad_iterations(ctx: &Context, pin: &str, stored: u32) {
    let now = current_params(ctx, 0);
    let missing = now.iterations.saturating_sub(stored);
    if missing > 0 {
        let mut waste = [0u8; 32 * MAX_LANES as usize];
        let len = 32 * now.lanes.clamp(1, MAX_LANES) as usize;
        pbkdf2::pbkdf2_hmac_sha256(pin.as_bytes(), &DUMMY_SALT, missing, &mut waste[..len]);
        zeroize::Zeroize::zeroize(black_box(&mut waste));
    }
}

const DUMMY_SALT: [u8; SALT_BYTES] = [0x5a; SALT_BYTES];
const DUMMY_TAG: [u8; 32] = [0; 32];

/// Verifies `pin` for `account_id` against the stored hash (or the dummy, for an unknown
/// account), counting a wrong PIN in the account's state blob (one call: see the module docs
/// for when to use the two-phase API).
///
/// Checks in order: `now`, state blob, lock, PIN format, stored string, key id; then the
/// failure is recorded, PBKDF2 runs, and a match clears the failures (the PIN table of
/// `docs/verdicts.md`; one decode and one write of the blob).
///
/// # Errors
/// [`Error::InvalidArgument`] (`now` out of range), [`Error::CorruptState`] (blob untouched),
/// [`Error::Locked`], [`Error::Blocked`], [`Error::PinFormat`], [`Error::MalformedHash`],
/// [`Error::UnknownKey`] (none of these is counted), [`Error::Wrong`] (counted; always, for an
/// unknown account).
pub fn verify<'s>(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: impl Into<Stored<'s>>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    // One decode, one write: the same checks as `begin`, the failure counted in the same
    // blob as the verdict (the host serializes attempts), the blob exactly the two-phase one.
    crate::clock::check(now)?;
    let stored = stored.into();
    flow::run(state, Gate::Lockout, ctx.policy(), now, |h, p: &Payload| {
        // A refused admission and a failed pepper device alike change nothing (rows 1–3).
        Ok(match admit(ctx, pin, stored).and_then(|target| matches(ctx, account_id, pin, &target)) {
            Err(e) => decide_begin(h, p, Err(e)),
            Ok(matched) => decide_verify(h, p, matched),
        })
    })
}

/// Phase 1 of a two-phase verification: checks `now`, the lock, the stored string and the
/// PIN's format, and pre-counts this attempt as a failure (plus one pending-attempt credit). On
/// `Ok` the host must store the new blob with compare-and-swap **before** calling
/// [`verify_finish`]. Cheap: no PBKDF2, and so no account id (the C function takes one for
/// symmetry and checks only that it is text).
///
/// # Errors
/// [`Error::InvalidArgument`], [`Error::CorruptState`] (blob untouched), [`Error::Locked`],
/// [`Error::Blocked`], [`Error::MalformedHash`], [`Error::UnknownKey`], [`Error::PinFormat`];
/// none is counted.
pub fn verify_begin<'s>(
    ctx: &Context,
    pin: &str,
    stored: impl Into<Stored<'s>>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    let stored = stored.into();
    crate::clock::check(now)?;
    flow::run(state, Gate::Lockout, ctx.policy(), now, |h, p: &Payload| {
        Ok(decide_begin(h, p, admit(ctx, pin, stored).map(drop)))
    })
}

/// Phase 2: consumes a pending-attempt credit, runs PBKDF2 and compares in constant time. `Ok`
/// clears the failures, any lock and every other pending credit (store the blob with
/// compare-and-swap); on [`Error::Wrong`] the failure counted by [`verify_begin`] stays. The
/// lock is not checked again (this attempt was admitted by phase 1, possibly as the one that
/// locked).
///
/// This is [`verify_compute`] followed by [`verify_apply`]; a host whose compare-and-swap of
/// the phase-2 blob can lose a race should call those two itself, so that a retry re-applies
/// the verdict to the fresh blob without computing PBKDF2 again.
///
/// # Errors
/// [`Error::InvalidArgument`], [`Error::CorruptState`] (blob untouched),
/// [`Error::NoChallenge`] (no pending attempt: call [`verify_begin`] first, or a success or a
/// reset since cleared it; nothing computed), [`Error::MalformedHash`], [`Error::UnknownKey`],
/// [`Error::PinFormat`], [`Error::Wrong`].
pub fn verify_finish<'s>(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: impl Into<Stored<'s>>,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    crate::clock::check(now)?;
    let stored = stored.into();
    flow::run(state, Gate::Open, ctx.policy(), now, |h, p: &Payload| {
        // Nothing is computed without a credit (row 4).
        let matched = if p.pending == 0 {
            Err(Error::NoChallenge)
        } else {
            admit(ctx, pin, stored).and_then(|t| matches(ctx, account_id, pin, &t))
        };
        Ok(decide_finish(h, p, matched))
    })
}

/// The outcome of the expensive part of a verification ([`verify_compute`]), to be recorded in
/// the state blob with [`verify_apply`]. Opaque; `Debug` does not tell which it is.
#[derive(Clone, Copy)]
#[must_use]
pub struct PinVerdict {
    ok: bool,
}

impl core::fmt::Debug for PinVerdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PinVerdict(..)")
    }
}

/// Phase 2a, after a stored [`verify_begin`]: PBKDF2, the keyed step and the constant-time
/// comparison, without touching any state.
///
/// **Contract:** call it only for an attempt whose [`verify_begin`] blob was stored. It reads
/// no state, so whoever can call it without `begin` has the stored hash and can compute the
/// same answer offline anyway; the guess limit is kept by `begin` (which counts) and
/// [`verify_apply`] (which refuses a verdict without a pending attempt). A host must not
/// expose it to users in any other way.
///
/// # Errors
/// [`Error::MalformedHash`], [`Error::UnknownKey`], [`Error::PinFormat`].
pub fn verify_compute<'s>(
    ctx: &Context,
    account_id: &str,
    pin: &str,
    stored: impl Into<Stored<'s>>,
) -> Result<PinVerdict> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    Ok(PinVerdict { ok: compute_match(ctx, account_id, pin, stored.into())? })
}

/// [`verify_compute`]'s work with the result as the `bool` the C ABI passes between its two
/// calls (C cannot hold an opaque Rust value); Rust callers get the opaque [`PinVerdict`].
pub(crate) fn compute_match(ctx: &Context, account_id: &str, pin: &str, stored: Stored<'_>) -> Result<bool> {
    let target = admit(ctx, pin, stored)?;
    matches(ctx, account_id, pin, &target)
}

/// Phase 2b: records a [`PinVerdict`] in the state blob (cheap; may be retried on a lost
/// compare-and-swap with the freshly read blob): consumes a pending-attempt credit; a match
/// clears the failures, any lock and the other credits.
///
/// # Errors
/// [`Error::InvalidArgument`] (`now` out of range), [`Error::CorruptState`] (blob untouched),
/// [`Error::NoChallenge`] (no pending attempt: the verdict is not recorded), [`Error::Wrong`]
/// for a verdict that did not match.
pub fn verify_apply(verdict: PinVerdict, now: u64, state: &mut [u8; STATE_BYTES]) -> Result<()> {
    apply_match(verdict.ok, now, state)
}

/// [`verify_apply`] for the C ABI's `matched` value (see [`compute_match`]).
pub(crate) fn apply_match(matched: bool, now: u64, state: &mut [u8; STATE_BYTES]) -> Result<()> {
    crate::clock::check(now)?;
    flow::run(state, Gate::Open, &crate::policy::Policy::default(), now, |h, p: &Payload| {
        Ok(decide_finish(h, p, Ok(matched)))
    })
}

/// Whether a stored hash should be replaced (by [`hash()`] of the PIN just verified): its key id
/// is not the current one (also when the context no longer holds it), its lanes differ from
/// `PIN_LANES` or its iterations from what `PIN_ITERATIONS` gives each lane, or its format
/// version is older than [`HASH_VERSION`] (every `v=1` string).
///
/// # Errors
/// [`Error::MalformedHash`] if the string cannot be parsed.
pub fn needs_rehash(ctx: &Context, stored: &str) -> Result<bool> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    let p = hash::parse(stored)?.params;
    let now = current_params(ctx, p.length);
    Ok(p.key_id != now.key_id
        || p.lanes != now.lanes
        || p.iterations != now.iterations
        || p.version < HASH_VERSION)
}

#[cfg(test)]
mod hash_tests;
#[cfg(test)]
mod rows;

#[cfg(test)]
mod tests;
