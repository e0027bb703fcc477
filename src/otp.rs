//! One-time codes sent by SMS or e-mail: issue, resend, verify.
//!
//! "OTP" here (and in `pcodes_otp_*`, Java `Otp`) means only these codes, drawn by the library
//! and sent by the host. Codes shown by an authenticator app or token are [`crate::totp`]
//! ([`totp::time`](crate::totp::time), [`totp::hotp`](crate::totp::hotp)).
//!
//! [`issue`] draws a uniformly random code of `OTP_DIGITS` digits (rejection sampling, no modulo
//! bias, zero-padded) and hands it to the host to send. The state blob keeps a keyed hash of
//! (code, purpose, issue time) — never the code — with the issue time, the wrong tries on this
//! code, whether it was used, the times of the recent sends and a short tag of the code it
//! replaced. Issuing again is a **resend**: it replaces the outstanding code (the old one becomes
//! [`Error::Superseded`]), but not sooner than `OTP_RESEND_SECONDS` after the last send and not
//! more than `OTP_MAX_SENDS_PER_HOUR` times in any rolling hour ([`Error::TooSoon`]; the header's
//! `wait_until`, reported by [`crate::retry_at`], tells when the next send is allowed).
//!
//! [`verify`] checks what the person typed and answers with the first row of the SMS table in
//! `docs/verdicts.md` that applies (the one place the verdict order is written; `decide`
//! is tested against its rows).
//!
//! The rule behind the order: **an answer that depends on what was typed is either counted
//! or says "this is the code"**. Rows 1–6 do not depend on the input's value (the digits
//! only matter from 7 on), so an expired, exhausted or used-and-expired code answers the same
//! to every input and is no oracle. While a code is live, every input that is neither the
//! code nor the one it replaced is `WRONG` and counted — also after the code was used — so at
//! most `OTP_MAX_ATTEMPTS` wrong guesses are answered per code, used or not. `ALREADY_USED`
//! and `SUPERSEDED` only answer the right code (or the replaced one): a correct-but-used code
//! is `ALREADY_USED` (not counted; a double submit), and a host must not treat it as a proof:
//! the proof was the `Ok` of the first submission. The purpose is inside the keyed hash, so a
//! code for `"login"` typed for `"phone-change:+7…"` matches nothing and is `WRONG`. The full
//! table of states × inputs is in `docs/otp.md`.
//!
//! See `docs/otp.md` for the blob layout, the false-positive probability of `SUPERSEDED` and the
//! statistics of the codes.

use zeroize::Zeroize;

use crate::blob::{self, Kind, PAYLOAD_BYTES, STATE_BYTES, State};
use crate::context::Context;
use crate::digits::Digits;
use crate::error::{Error, Result};
use crate::flow::{self, Count, Gate, Outcome};
use crate::keys::Purpose;
use crate::mac::{self, HmacKey, Sha256};
use crate::policy::Policy;
use crate::rng::{self, CryptoRng};

/// Longest code, in digits (`OTP_DIGITS` ranges over 4–8).
pub const MAX_DIGITS: usize = 8;
/// Shortest code, in digits.
pub const MIN_DIGITS: usize = 4;
/// Bytes of the keyed hash of the outstanding code kept in the state (64 bits).
pub const TAG_BYTES: usize = 8;
/// Bytes of the keyed hash of the replaced code kept for `SUPERSEDED` (32 bits).
pub const PREV_TAG_BYTES: usize = 4;
/// Earlier sends remembered for the rolling-hour limit (`OTP_MAX_SENDS_PER_HOUR` ≤ 10, and the
/// latest send is the issue time itself).
pub const MAX_EARLIER_SENDS: usize = 9;
/// The rolling window of `OTP_MAX_SENDS_PER_HOUR`, seconds.
pub const HOUR: u64 = 3600;

// Payload layout (see docs/otp.md).
const P_DIGITS: usize = 0;
const P_FLAGS: usize = 1;
const P_KEYS: usize = 2;
const P_ATTEMPTS: usize = 3;
const P_ISSUED: usize = 4;
const P_TAG: usize = 12;
const P_PREV_TAG: usize = P_TAG + TAG_BYTES; // 20
const P_PREV_AGE: usize = P_PREV_TAG + PREV_TAG_BYTES; // 24
const P_SENDS: usize = P_PREV_AGE + 2; // 26
const SENDS_BYTES: usize = PAYLOAD_BYTES - P_SENDS; // 14 = ceil(9 * 12 / 8)
const F_USED: u8 = 1;
const F_PREV: u8 = 2;
const F_REVOKED: u8 = 4;
const F_KNOWN: u8 = F_USED | F_PREV | F_REVOKED | 0xF0;

const _: () = assert!(SENDS_BYTES * 8 >= MAX_EARLIER_SENDS * 12);
const _: () = assert!(HOUR < 1 << 12);

/// An issued code, to be sent to the person. Its `Debug` output hides the digits and its memory
/// is zeroized on drop.
pub struct OtpCode(Digits);

impl OtpCode {
    /// The code as ASCII digits, zero-padded (`"004271"`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Number of digits.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a code has 4 to 8 digits.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}

impl core::fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "OtpCode({} digits)", self.0.len())
    }
}

/// The flow's 40 payload bytes, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payload {
    /// Digits of the outstanding code; 0 = nothing issued yet (then everything else is zero).
    digits: u8,
    used: bool,
    prev: bool,
    /// `state::revoke` killed the code (and the one it replaced): only the send history is
    /// left (then `used`, `prev`, the key ids, the attempts and the tags are zero).
    revoked: bool,
    key_id: u8,
    prev_key_id: u8,
    attempts: u8,
    issued_at: u64,
    tag: [u8; TAG_BYTES],
    prev_tag: [u8; PREV_TAG_BYTES],
    /// Seconds from the replaced code's issue to `issued_at`.
    prev_age: u16,
    /// Ages (seconds before `issued_at`, each < [`HOUR`]) of earlier sends, newest first.
    ages: [u16; MAX_EARLIER_SENDS],
    n_ages: u8,
}

impl blob::Payload for Payload {
    const KIND: Kind = Kind::Otp;
    const WAITS: bool = true;

    fn decode(b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        let digits = b[P_DIGITS];
        if digits == 0 {
            return if b.iter().all(|&x| x == 0) { Ok(Self::none()) } else { Err(Error::CorruptState) };
        }
        let flags = b[P_FLAGS];
        let n_ages = flags >> 4;
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&usize::from(digits))
            || flags & !F_KNOWN != 0
            || usize::from(n_ages) > MAX_EARLIER_SENDS
        {
            return Err(Error::CorruptState);
        }
        let mut p = Self::none();
        p.digits = digits;
        p.used = flags & F_USED != 0;
        p.prev = flags & F_PREV != 0;
        p.revoked = flags & F_REVOKED != 0;
        p.n_ages = n_ages;
        p.key_id = b[P_KEYS] & 0x0F;
        p.prev_key_id = b[P_KEYS] >> 4;
        p.attempts = b[P_ATTEMPTS];
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[P_ISSUED..P_TAG]);
        p.issued_at = u64::from_le_bytes(w);
        p.tag.copy_from_slice(&b[P_TAG..P_PREV_TAG]);
        p.prev_tag.copy_from_slice(&b[P_PREV_TAG..P_PREV_AGE]);
        p.prev_age = u16::from_le_bytes([b[P_PREV_AGE], b[P_PREV_AGE + 1]]);
        for i in 0..MAX_EARLIER_SENDS {
            let at = P_SENDS + i * 12 / 8;
            let pair = u16::from_le_bytes([b[at], b[at + 1]]);
            let age = if i % 2 == 0 { pair & 0x0FFF } else { pair >> 4 };
            if i < usize::from(n_ages) {
                // Ages are kept newest first and inside the hour.
                if u64::from(age) >= HOUR || (i > 0 && age < p.ages[i - 1]) {
                    return Err(Error::CorruptState);
                }
                p.ages[i] = age;
            } else if age != 0 {
                return Err(Error::CorruptState);
            }
        }
        let oldest = if n_ages == 0 { 0 } else { p.ages[usize::from(n_ages) - 1] };
        if b[PAYLOAD_BYTES - 1] >> 4 != 0
            || (!p.prev && (p.prev_tag != [0; 4] || p.prev_age != 0 || p.prev_key_id != 0))
            || u64::from(oldest.max(p.prev_age)) > p.issued_at
            || (p.revoked
                && (p.used || p.prev || p.key_id != 0 || p.attempts != 0 || p.tag != [0; TAG_BYTES]))
        {
            return Err(Error::CorruptState);
        }
        Ok(p)
    }

    fn encode(&self, b: &mut [u8]) {
        b.fill(0);
        if self.digits == 0 {
            return;
        }
        b[P_DIGITS] = self.digits;
        b[P_FLAGS] = (self.n_ages << 4)
            | if self.used { F_USED } else { 0 }
            | if self.prev { F_PREV } else { 0 }
            | if self.revoked { F_REVOKED } else { 0 };
        b[P_KEYS] = (self.prev_key_id << 4) | (self.key_id & 0x0F);
        b[P_ATTEMPTS] = self.attempts;
        b[P_ISSUED..P_TAG].copy_from_slice(&self.issued_at.to_le_bytes());
        b[P_TAG..P_PREV_TAG].copy_from_slice(&self.tag);
        b[P_PREV_TAG..P_PREV_AGE].copy_from_slice(&self.prev_tag);
        b[P_PREV_AGE..P_SENDS].copy_from_slice(&self.prev_age.to_le_bytes());
        #[allow(clippy::cast_possible_truncation)] // byte extraction from 12-bit values
        for (i, &age) in self.ages.iter().enumerate().take(usize::from(self.n_ages)) {
            let at = P_SENDS + i * 12 / 8;
            if i % 2 == 0 {
                b[at] = (age & 0xFF) as u8;
                b[at + 1] |= (age >> 8) as u8;
            } else {
                b[at] |= ((age & 0x0F) << 4) as u8;
                b[at + 1] = (age >> 4) as u8;
            }
        }
    }

    /// The outstanding code and the one it replaced die; the send history (the issue time and
    /// the earlier sends) stays, so the resend cooldown and the hourly limit still hold.
    fn revoke(&mut self, what: u32) {
        if what & crate::state::REVOKE_CODES != 0 && self.digits != 0 {
            *self = Self {
                revoked: true,
                used: false,
                prev: false,
                key_id: 0,
                prev_key_id: 0,
                attempts: 0,
                tag: [0; TAG_BYTES],
                prev_tag: [0; PREV_TAG_BYTES],
                prev_age: 0,
                ..self.clone()
            };
        }
    }
}

impl Payload {
    fn none() -> Self {
        Self {
            digits: 0,
            used: false,
            prev: false,
            revoked: false,
            key_id: 0,
            prev_key_id: 0,
            attempts: 0,
            issued_at: 0,
            tag: [0; TAG_BYTES],
            prev_tag: [0; PREV_TAG_BYTES],
            prev_age: 0,
            ages: [0; MAX_EARLIER_SENDS],
            n_ages: 0,
        }
    }

    /// The earliest time the next code may be sent (0 if nothing was sent yet).
    fn next_send(&self, policy: &Policy) -> u64 {
        if self.digits == 0 {
            return 0;
        }
        let cooldown = self.issued_at.saturating_add(policy.otp_resend_seconds);
        // Send times newest first: issued_at, then issued_at - ages[i].
        let m = policy.otp_max_sends_per_hour as usize;
        let hourly = if m == 0 {
            u64::MAX
        } else if m == 1 {
            self.issued_at.saturating_add(HOUR)
        } else if m - 1 <= usize::from(self.n_ages) {
            self.issued_at.saturating_sub(self.ages[m - 2].into()).saturating_add(HOUR)
        } else {
            0
        };
        cooldown.max(hourly).max(self.issued_at)
    }
}

/// The keyed hash of a code: `HMAC-SHA256(K_otp, issued_at (u64 LE) ‖ digits (u8) ‖ code ‖ purpose)`.
fn tag(key: &HmacKey<Sha256>, issued_at: u64, code: &[u8], purpose: &str) -> [u8; 32] {
    #[allow(clippy::cast_possible_truncation)] // at most MAX_DIGITS
    let len = [code.len() as u8];
    key.mac(&[&issued_at.to_le_bytes(), &len, code, purpose.as_bytes()])
}

/// [`tag`] for two (key, issue time) pairs, computed together, into `out`.
fn tag_pair(
    a: (&HmacKey<Sha256>, u64),
    b: (&HmacKey<Sha256>, u64),
    code: &[u8],
    purpose: &str,
    out_a: &mut [u8; 32],
    out_b: &mut [u8; 32],
) {
    #[allow(clippy::cast_possible_truncation)] // at most MAX_DIGITS
    let len = [code.len() as u8];
    let (ta, tb) = (a.1.to_le_bytes(), b.1.to_le_bytes());
    HmacKey::mac_pair_into(
        (a.0, &[&ta, &len, code, purpose.as_bytes()]),
        (b.0, &[&tb, &len, code, purpose.as_bytes()]),
        out_a,
        out_b,
    );
}

fn check_purpose(purpose: &str) -> Result<()> {
    if purpose.is_empty() { Err(Error::InvalidArgument.because(c"purpose: empty")) } else { Ok(()) }
}

/// The digits of a code issued under `policy` (`OTP_DIGITS`, kept within the supported range).
#[allow(clippy::cast_possible_truncation)] // clamped to 4–8
fn code_digits(policy: &crate::policy::Policy) -> u8 {
    policy.otp_digits.clamp(MIN_DIGITS as u32, MAX_DIGITS as u32) as u8
}

/// The length of the codes [`issue`] writes under `ctx` (its `OTP_DIGITS`), so that a caller
/// can check its buffer before a code is issued: an [`OtpCode`] is exactly this long.
#[must_use]
pub fn code_len(ctx: &Context) -> usize {
    usize::from(code_digits(ctx.policy()))
}

/// Issues (or re-issues) a code for `purpose` at `now`, drawing from `rng`, and records it in
/// `state`. Returns the code for the host to send. Any outstanding code is replaced: typing it
/// afterwards gives [`Error::Superseded`].
///
/// `purpose` binds the code to what it confirms (`"login"`, `"phone-change:+79990001122"`); the
/// same string must be passed to [`verify`].
///
/// On success the header's `wait_until` is set to when the next send will be allowed.
///
/// # Errors
/// - [`Error::InvalidArgument`] for an empty `purpose` or a `now` outside [`crate::clock`]'s range
///   (state untouched);
/// - [`Error::CorruptState`] if `state` is not an SMS-code blob (state untouched);
/// - [`Error::Locked`] / [`Error::Blocked`] while the lockout engine refuses this state;
/// - [`Error::TooSoon`] before `OTP_RESEND_SECONDS` have passed since the last send, or when
///   `OTP_MAX_SENDS_PER_HOUR` sends were made in the last hour (or the last send is in the
///   future); [`crate::retry_at`] tells when sending is allowed again.
pub fn issue_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    purpose: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
    rng: &mut R,
) -> Result<OtpCode> {
    flow::run(state, Gate::Lockout, ctx.policy(), now, issue_attempt(ctx, purpose, now, rng)?)
}

/// The argument checks and the decision of [`issue_with_rng`], for either lane
/// (`device::otp_issue_with_rng` gates it with the device blob's lockout).
pub(crate) fn issue_attempt<'a, R: CryptoRng + ?Sized>(
    ctx: &'a Context,
    purpose: &'a str,
    now: u64,
    rng: &'a mut R,
) -> Result<impl FnOnce(&State, &Payload) -> Result<Outcome<Payload, OtpCode>> + 'a> {
    crate::clock::check(now)?;
    check_purpose(purpose)?;
    let policy = ctx.policy();
    Ok(move |h: &State, p: &Payload| {
        let earliest = p.next_send(policy);
        if now < earliest {
            return Ok(Outcome::new(Err(Error::TooSoon), Count::No, h, p.clone()).waiting(earliest));
        }
        let (code, next) = draw(ctx, purpose, now, p, rng);
        let wait = next.next_send(policy);
        Ok(Outcome::new(Ok(code), Count::No, h, next).waiting(wait))
    })
}

/// A new code and the payload that records it (the replaced code's tag, the send history).
fn draw<R: CryptoRng + ?Sized>(
    ctx: &Context,
    purpose: &str,
    now: u64,
    p: &Payload,
    rng: &mut R,
) -> (OtpCode, Payload) {
    let digits = code_digits(ctx.policy());
    let mut v = rng::uniform_below(rng, 10u32.pow(digits.into()));
    let code = OtpCode(Digits::new(v, digits.into()));
    v.zeroize();

    // Roll the send history and remember the replaced code's tag.
    let mut next = Payload::none();
    if p.digits != 0 {
        let age = now - p.issued_at; // now >= issued_at: next_send() is never before it
        if let Ok(age16) = u16::try_from(age)
            && !p.revoked
        {
            next.prev = true;
            next.prev_age = age16;
            next.prev_key_id = p.key_id;
            next.prev_tag.copy_from_slice(&p.tag[..PREV_TAG_BYTES]);
        }
        let earlier =
            core::iter::once(0).chain(p.ages[..usize::from(p.n_ages)].iter().map(|&a| u64::from(a)));
        for a in earlier.map(|a| a + age).take_while(|&a| a < HOUR).take(MAX_EARLIER_SENDS) {
            #[allow(clippy::cast_possible_truncation)] // a < HOUR < 2^12
            {
                next.ages[usize::from(next.n_ages)] = a as u16;
            }
            next.n_ages += 1;
        }
    }
    let (key_id, key) = ctx.keys().current(Purpose::Otp);
    let mut t = tag(key, now, code.as_str().as_bytes(), purpose);
    next.digits = digits;
    next.key_id = key_id;
    next.issued_at = now;
    next.tag.copy_from_slice(&t[..TAG_BYTES]);
    t.zeroize();
    (code, next)
}

/// [`issue_with_rng`] with this thread's OS-seeded generator ([`rng::with_system_rng`]).
///
/// # Errors
/// As [`issue_with_rng`], and [`Error::RngFailure`] if the operating system's randomness is unavailable
/// (the state is then left unchanged).
#[cfg(feature = "std")]
pub fn issue(ctx: &Context, purpose: &str, now: u64, state: &mut [u8; STATE_BYTES]) -> Result<OtpCode> {
    // Rejection sampling rarely needs a second draw; budget a few.
    rng::with_system_rng(16, |r| issue_with_rng(ctx, purpose, now, state, r))?
}

/// Checks `code` (as typed: spaces are ignored) against the outstanding code for `purpose` at
/// `now`, and records the attempt in `state`. `Ok(())` means accepted; the code is then used.
/// See the [module documentation](self) for the order of the verdicts.
///
/// # Errors
/// - [`Error::InvalidArgument`] for an empty `purpose` or a `now` outside [`crate::clock`]'s
///   range, [`Error::CorruptState`] if `state` is
///   not an SMS-code blob (both leave the state untouched);
/// - [`Error::Locked`], [`Error::Blocked`], [`Error::NoChallenge`], [`Error::Mistyped`],
///   [`Error::UnknownKey`], [`Error::AlreadyUsed`], [`Error::Expired`],
///   [`Error::AttemptsExhausted`], [`Error::Superseded`]: not counted;
/// - [`Error::Wrong`]: counted as a wrong try on this code and as a lockout failure.
pub fn verify(
    ctx: &Context,
    purpose: &str,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    flow::run(state, Gate::Lockout, ctx.policy(), now, verify_attempt(ctx, purpose, code, now)?)
}

/// The argument checks and the decision of [`verify`] (facts, then `decide`), for either lane
/// (`device::otp_verify` gates and counts it in the device blob).
pub(crate) fn verify_attempt<'a>(
    ctx: &'a Context,
    purpose: &'a str,
    code: &'a str,
    now: u64,
) -> Result<impl FnOnce(&State, &Payload) -> Result<Outcome<Payload, ()>> + 'a> {
    crate::clock::check(now)?;
    check_purpose(purpose)?;
    let policy = ctx.policy();
    Ok(move |h: &State, p: &Payload| Ok(decide(h, p, facts(ctx, purpose, code, p), policy, now)))
}

/// Copies the digits of `input` (spaces removed) into `out`; `Mistyped` unless exactly `n`.
fn parse(input: &str, n: usize, out: &mut [u8; MAX_DIGITS]) -> Result<()> {
    let mut len = 0;
    for &b in input.as_bytes() {
        if b == b' ' {
            continue;
        }
        if !b.is_ascii_digit() || len == n {
            return Err(Error::Mistyped);
        }
        out[len] = b;
        len += 1;
    }
    if len == n { Ok(()) } else { Err(Error::Mistyped) }
}

/// What the keyed computations found about the input, all of them before any verdict is
/// chosen ([`crate::flow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facts {
    /// Nothing issued or the code revoked (nothing to compare with), or not the code's number
    /// of digits.
    Mistyped,
    /// The code was issued under a key the context no longer holds.
    UnknownKey,
    /// The input compared with the outstanding code's tag and the replaced code's tag.
    Compared { current: bool, previous: bool },
}

fn facts(ctx: &Context, purpose: &str, input: &str, p: &Payload) -> Facts {
    let n = usize::from(p.digits);
    let mut buf = [0u8; MAX_DIGITS];
    let f = if n == 0 || p.revoked || parse(input, n, &mut buf).is_err() {
        Facts::Mistyped
    } else {
        compare(ctx, purpose, &buf[..n], p)
    };
    buf.zeroize();
    f
}

/// Both tags, computed together (their compressions overlap), compared in constant time.
fn compare(ctx: &Context, purpose: &str, code: &[u8], p: &Payload) -> Facts {
    let Ok(key) = ctx.keys().get(Purpose::Otp, p.key_id.into()) else {
        let _ = Error::UnknownKey.because(
            c"state: its code was issued under a key id this context does not hold (pcodes_ctx_add_key)",
        );
        return Facts::UnknownKey;
    };
    let prev_key = if p.prev { ctx.keys().get(Purpose::Otp, p.prev_key_id.into()).ok() } else { None };
    let (current, previous) = if let Some(k) = prev_key {
        let prev_at = p.issued_at.saturating_sub(p.prev_age.into());
        let (mut t, mut tp) = ([0u8; 32], [0u8; 32]);
        tag_pair((key, p.issued_at), (k, prev_at), code, purpose, &mut t, &mut tp);
        let r = (mac::ct_eq(&t[..TAG_BYTES], &p.tag), mac::ct_eq(&tp[..PREV_TAG_BYTES], &p.prev_tag));
        t.zeroize();
        tp.zeroize();
        r
    } else {
        let mut t = tag(key, p.issued_at, code, purpose);
        let current = mac::ct_eq(&t[..TAG_BYTES], &p.tag);
        t.zeroize();
        (current, false)
    };
    Facts::Compared { current, previous }
}

/// The SMS table of `docs/verdicts.md`, row by row: pure, from the blob, the facts, the policy
/// and the time.
pub(crate) fn decide(h: &State, p: &Payload, f: Facts, policy: &Policy, now: u64) -> Outcome<Payload, ()> {
    let keep = |e| Outcome::unchanged(e, h, p);
    if p.digits == 0 || p.revoked {
        return keep(Error::NoChallenge);
    }
    let (current, previous) = match f {
        Facts::Mistyped => return keep(Error::Mistyped),
        Facts::UnknownKey => return keep(Error::UnknownKey),
        Facts::Compared { current, previous } => (current, previous),
    };
    let from_the_future = p.issued_at > now.saturating_add(crate::clock::MAX_CLOCK_SKEW);
    if now >= p.issued_at.saturating_add(policy.otp_ttl_seconds) || from_the_future {
        return keep(Error::Expired);
    }
    if u32::from(p.attempts) >= policy.otp_max_attempts {
        return keep(Error::AttemptsExhausted);
    }
    if current && p.used {
        return keep(Error::AlreadyUsed);
    }
    if current {
        return Outcome::new(Ok(()), Count::Success, h, Payload { used: true, ..p.clone() });
    }
    if previous {
        return keep(Error::Superseded);
    }
    Outcome::wrong(h, Payload { attempts: p.attempts.saturating_add(1), ..p.clone() })
}

#[cfg(test)]
mod rows;

#[cfg(test)]
mod tests;
