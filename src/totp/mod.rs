//! Authenticator apps: RFC 4226 HOTP and RFC 6238 TOTP codes, enrolment (secret, `otpauth://`
//! URI, SVG QR code) and verification with replay protection.
//!
//! - [`secret_with_rng`] (or [`secret`] with the `std` feature) draws a new
//!   secret: 16–64 bytes, [`DEFAULT_SECRET_BYTES`] (20, 160 bits as RFC 4226 recommends) by default.
//! - [`uri::build`] writes the Key URI an app scans; [`qr::svg`] renders it as an SVG QR code;
//!   [`uri::parse`] reads one back (for hosts importing enrolments from another system).
//! - [`totp_code`] / [`hotp_code`] compute a code; [`totp_verify`] / [`hotp_verify`] check one
//!   against the caller's [state blob](crate::state).
//!
//! # Secret lengths
//! New secrets are 16–64 bytes (RFC 4226 §4 requires at least 128 bits). Computing and
//! verifying codes, building URIs and parsing them accept **10–64 bytes**
//! ([`MIN_SECRET_BYTES`]..=[`MAX_SECRET_BYTES`]): many existing enrolments use 80-bit
//! (10-byte, 16 base32 symbols) secrets, and a portal importing them must keep them working
//! until they are re-enrolled. Anything outside the range is [`Error::InvalidArgument`].
//!
//! # State blobs
//! A TOTP blob ([`Kind::Totp`](crate::blob::Kind::Totp)) stores the last accepted time step:
//! payload bytes 0..8 the step (little-endian), byte 8 bit 0 set once a step was accepted. A
//! HOTP blob ([`Kind::Hotp`](crate::blob::Kind::Hotp)) stores the next expected counter in
//! bytes 0..8, byte 8 bit 0 set once a counter was accepted, bit 1 set when the counter space is
//! spent (after accepting counter `u64::MAX`). Payload bytes 9..40 are zero, a TOTP step is
//! zero until one was accepted, and "spent" needs "accepted" and the counter `u64::MAX`; any
//! other payload is [`Error::CorruptState`]. One blob belongs to one enrolment: when the
//! secret or the period changes, start from a fresh (all-zero) blob.

use zeroize::Zeroize;

use crate::digits::Digits;
use crate::error::{Error, Result};
use crate::flow::{Count, Outcome};
use crate::mac::{HmacKey, Sha1, Sha256, Sha512};

pub mod hotp;
pub mod qr;
pub mod time;
pub mod uri;

mod deprecated;
#[allow(deprecated)]
pub use deprecated::{hotp_code, hotp_verify, totp_code, totp_verify};
pub use hotp::HotpKey;

/// Smallest secret accepted by code, verify and URI functions (80 bits; see the module docs).
pub const MIN_SECRET_BYTES: usize = 10;
/// Smallest secret [`secret_with_rng`] makes (RFC 4226 §4: at least 128 bits).
pub const MIN_NEW_SECRET_BYTES: usize = 16;
/// Largest secret accepted anywhere (the SHA-512 vectors of RFC 6238 use 64 bytes).
pub const MAX_SECRET_BYTES: usize = 64;
/// Default length of a new secret (160 bits, RFC 4226 §4's recommendation).
pub const DEFAULT_SECRET_BYTES: usize = 20;
/// Default period, seconds (what every app assumes when the URI omits it).
pub const DEFAULT_PERIOD: u32 = 30;
/// Default number of digits.
pub const DEFAULT_DIGITS: u32 = 6;
/// Longest code ([`Code`] capacity).
pub const MAX_DIGITS: usize = 8;

/// The HMAC hash function of an enrolment. SHA-1 is the only one every app supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
#[repr(i32)]
pub enum Algorithm {
    /// HMAC-SHA-1 (the default; RFC 4226).
    #[default]
    Sha1 = 1,
    /// HMAC-SHA-256 (RFC 6238).
    Sha256 = 2,
    /// HMAC-SHA-512 (RFC 6238).
    Sha512 = 3,
}

impl Algorithm {
    /// The algorithm for a C value (`PCODES_ALGORITHM_*`): 1, 2, 3.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for any other value.
    pub fn from_id(id: i32) -> Result<Self> {
        match id {
            1 => Ok(Self::Sha1),
            2 => Ok(Self::Sha256),
            3 => Ok(Self::Sha512),
            _ => {
                Err(Error::InvalidArgument.because(c"algorithm: not a PCODES_ALGORITHM_* value (1, 2 or 3)"))
            }
        }
    }

    /// The name in a Key URI: `"SHA1"`, `"SHA256"`, `"SHA512"`.
    #[must_use]
    pub fn uri_name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }
}

/// Checked TOTP parameters: algorithm, 6–8 digits, period 1–3600 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    algorithm: Algorithm,
    digits: u32,
    period: u32,
}

impl Default for Params {
    /// SHA-1, 6 digits, 30 s: what every app assumes.
    fn default() -> Self {
        Self { algorithm: Algorithm::Sha1, digits: DEFAULT_DIGITS, period: DEFAULT_PERIOD }
    }
}

impl Params {
    /// Checks and bundles TOTP parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `digits` is 6–8 and `period` is 1–3600.
    #[inline]
    pub fn new(algorithm: Algorithm, digits: u32, period: u32) -> Result<Self> {
        crate::diag::clear(); // a call that succeeds leaves no detail behind
        check_digits(digits)?;
        if !(1..=3600).contains(&period) {
            return Err(Error::InvalidArgument.because(c"period: must be 1 ..= 3600 seconds"));
        }
        Ok(Self { algorithm, digits, period })
    }

    /// The HMAC hash.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Digits per code (6–8).
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// Seconds per time step (1–3600).
    #[must_use]
    pub fn period(&self) -> u32 {
        self.period
    }
}

pub(crate) fn check_digits(digits: u32) -> Result<()> {
    if (6..=8).contains(&digits) {
        Ok(())
    } else {
        Err(Error::InvalidArgument.because(c"digits: must be 6 ..= 8"))
    }
}

pub(crate) fn check_secret(secret: &[u8]) -> Result<()> {
    if (MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&secret.len()) {
        Ok(())
    } else {
        Err(Error::InvalidArgument.because(c"secret_len: a secret must be 10 ..= 64 bytes"))
    }
}

/// A code as ASCII digits (6–8, leading zeros kept). Its `Debug` output hides the digits;
/// zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(Digits);

impl Code {
    /// The last `digits` (6–8) decimal digits of `value` as ASCII.
    fn new(value: u32, digits: u32) -> Self {
        Self(Digits::new(value, digits))
    }

    /// The digits, e.g. `"094287"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl core::fmt::Debug for Code {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Code({} digits)", self.0.len())
    }
}

/// The secret keyed once into HMAC midstates, for one call.
pub(crate) enum Keyed {
    Sha1(HmacKey<Sha1>),
    Sha256(HmacKey<Sha256>),
    Sha512(HmacKey<Sha512>),
}

/// `v mod 10^digits` for `digits` 6–8 (the divisor is a constant in each arm, so no
/// division instruction; `digits` is public).
fn reduce(v: u32, digits: u32) -> u32 {
    match digits {
        6 => v % 1_000_000,
        7 => v % 10_000_000,
        _ => v % 100_000_000,
    }
}

/// How many candidate counters are computed together (see [`HmacKey::mac_short_lanes`]).
pub(crate) const BATCH: usize = 8;

/// The HMAC input block of a HOTP counter: its 8 big-endian bytes, padded
/// ([`HmacKey::pad_short`]).
fn counter_block<A: crate::mac::Algorithm>(counter: u64) -> A::Block {
    let mut b = A::ZERO_BLOCK;
    b.as_mut()[..8].copy_from_slice(&counter.to_be_bytes());
    HmacKey::<A>::pad_short(b.as_mut(), 8);
    b
}

fn hotp_values<A: crate::mac::Algorithm>(key: &HmacKey<A>, first: u64, digits: u32, out: &mut [u32]) {
    // A TOTP window of ±1 is 3 candidates: its buffers are sized for 4, not for BATCH.
    if out.len() <= 4 {
        hotp_values_in::<A, 4>(key, first, digits, out);
    } else {
        hotp_values_in::<A, BATCH>(key, first, digits, out);
    }
}

/// [`hotp_values`] with buffers for `N ≥ out.len()` lanes: the MACs' final states are read
/// in place ([`crate::mac::Algorithm::digest_u32_at`]), never written out as digests.
#[inline(always)]
fn hotp_values_in<A: crate::mac::Algorithm, const N: usize>(
    key: &HmacKey<A>,
    first: u64,
    digits: u32,
    out: &mut [u32],
) {
    let n = out.len().min(N);
    let mut blocks = [A::ZERO_BLOCK; N];
    let mut states = [A::IV; N];
    let mut c = first;
    for b in &mut blocks[..n] {
        *b = counter_block::<A>(c);
        c = c.wrapping_add(1);
    }
    key.mac_short_lanes(&mut blocks[..n], &mut states[..n]);
    for (o, s) in out.iter_mut().zip(&states[..n]) {
        *o = reduce(truncate(|i| A::digest_u32_at(s, i), A::OUT), digits);
    }
    for (s, b) in states[..n].iter_mut().zip(&mut blocks[..n]) {
        s.zeroize();
        b.as_mut()[..A::OUT].zeroize(); // the inner digest; the rest of the block is public padding
    }
}

/// RFC 4226 §5.3 dynamic truncation of a MAC of `len` bytes, given `word_at(off)`: its four
/// bytes `off..off + 4` as a big-endian number (read from the digest bytes or, without writing
/// the digest out, from the final state: [`crate::mac::Algorithm::digest_u32_at`]).
fn truncate(word_at: impl Fn(usize) -> u32, len: usize) -> u32 {
    let off = (word_at(len - 4) & 0x0f) as usize;
    word_at(off) & 0x7fff_ffff
}

impl Keyed {
    pub(crate) fn new(algorithm: Algorithm, secret: &[u8]) -> Self {
        match algorithm {
            Algorithm::Sha1 => Self::Sha1(HmacKey::new(secret)),
            Algorithm::Sha256 => Self::Sha256(HmacKey::new(secret)),
            Algorithm::Sha512 => Self::Sha512(HmacKey::new(secret)),
        }
    }

    /// The 31-bit dynamic truncation (RFC 4226 §5.3) of the HMAC of `counter`: one MAC
    /// on the short path (two compressions), without the batch buffers of [`Keyed::values`].
    fn truncated(&self, counter: u64) -> u32 {
        fn one<A: crate::mac::Algorithm>(key: &HmacKey<A>, counter: u64) -> u32 {
            let mut block = counter_block::<A>(counter);
            let mut st = A::IV;
            key.mac_short(&mut block, &mut st);
            // Read from the state words (the digest is never written out).
            let v = truncate(|i| A::digest_u32_at(&st, i), A::OUT);
            st.zeroize();
            block.as_mut()[..A::OUT].zeroize(); // the inner digest; the rest is public padding
            v
        }
        match self {
            Self::Sha1(k) => one(k, counter),
            Self::Sha256(k) => one(k, counter),
            Self::Sha512(k) => one(k, counter),
        }
    }

    /// HOTP values of the counters `first, first + 1, …` (wrapping), one per slot of `out`
    /// (at most [`BATCH`]), computed together so that their compressions overlap.
    pub(crate) fn values(&self, first: u64, digits: u32, out: &mut [u32]) {
        match self {
            Self::Sha1(k) => hotp_values(k, first, digits, out),
            Self::Sha256(k) => hotp_values(k, first, digits, out),
            Self::Sha512(k) => hotp_values(k, first, digits, out),
        }
    }

    pub(crate) fn code(&self, counter: u64, digits: u32) -> Code {
        // Code::new keeps the last `digits` decimal digits: no reduction needed here.
        let mut v = self.truncated(counter);
        let c = Code::new(v, digits);
        v.zeroize();
        c
    }
}

/// The payload of a TOTP or HOTP blob: a step or counter (bytes 0..8, u64 LE), flags (byte 8;
/// bit 0 = a code was accepted, bit 1 = HOTP counter space spent) and the enrolment it belongs
/// to (bytes 9..17, [`enrolment_digest`]; zero = not bound yet). Bytes 17..40 are zero; without
/// the accepted bit the value and the enrolment are zero and nothing is spent; a HOTP counter
/// after an acceptance is at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counter {
    pub(crate) value: u64,
    pub(crate) accepted: bool,
    pub(crate) spent: bool,
    pub(crate) enrolment: [u8; ENROLMENT_BYTES],
}

const F_ACCEPTED: u8 = 1;
const F_SPENT: u8 = 2;
/// Bytes of the enrolment digest kept in a TOTP/HOTP blob.
pub(crate) const ENROLMENT_BYTES: usize = 8;

impl Counter {
    /// Decodes a payload; `hotp` allows the spent flag (TOTP stores a step only once one was
    /// accepted). Inlined: returned out of line, the `Result<Counter>` went through memory and
    /// was read back with loads that straddled its stores (store-forwarding stalls, issue 23).
    #[inline(always)]
    fn decode_bytes(b: &[u8; crate::blob::PAYLOAD_BYTES], hotp: bool) -> Result<Self> {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[..8]);
        let mut c = Self {
            value: u64::from_le_bytes(w),
            accepted: b[8] & F_ACCEPTED != 0,
            spent: b[8] & F_SPENT != 0,
            enrolment: [0; ENROLMENT_BYTES],
        };
        c.enrolment.copy_from_slice(&b[9..9 + ENROLMENT_BYTES]);
        let known = if hotp { F_ACCEPTED | F_SPENT } else { F_ACCEPTED };
        let stray = b[8] & !known != 0
            || b[9 + ENROLMENT_BYTES..].iter().any(|&x| x != 0)
            || (!c.accepted && (c.value != 0 || c.enrolment != [0; ENROLMENT_BYTES]))
            // HOTP stores the counter after the accepted one, so never 0 once one was accepted.
            || (hotp && c.accepted && c.value == 0)
            || (c.spent && !(c.accepted && c.value == u64::MAX));
        if stray { Err(Error::CorruptState) } else { Ok(c) }
    }

    fn encode_bytes(&self, b: &mut [u8]) {
        b[..8].copy_from_slice(&self.value.to_le_bytes());
        b[8] = if self.accepted { F_ACCEPTED } else { 0 } | if self.spent { F_SPENT } else { 0 };
        b[9..9 + ENROLMENT_BYTES].copy_from_slice(&self.enrolment);
    }
}

/// Whether a blob's stored enrolment is `current` (a blob not bound yet, zero, counts as the same:
/// written before blobs were bound).
pub(crate) fn same_enrolment(stored: [u8; ENROLMENT_BYTES], current: [u8; ENROLMENT_BYTES]) -> bool {
    stored == [0; ENROLMENT_BYTES] || stored == current
}

/// Which enrolment a TOTP/HOTP blob belongs to (issue 20 §4): the first 8 bytes of
/// `SHA-256("portal-codes/enrolment/v1" ‖ kind ‖ algorithm id ‖ digits ‖ period (u32 BE; 0 for
/// HOTP) ‖ secret)`. A blob that accepted a code under another secret or other parameters is
/// read as fresh: re-enrolling (a new secret, or the period changed from 30 s to 60 s) starts a
/// new replay history instead of refusing the right code as already used. Unkeyed on purpose
/// (a key rotation must not look like a re-enrolment); it reveals nothing usable about a secret
/// of at least 80 random bits.
pub(crate) fn enrolment_digest(
    kind: crate::blob::Kind,
    algorithm: Algorithm,
    digits: u32,
    period: u32,
    secret: &[u8],
) -> [u8; ENROLMENT_BYTES] {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ids 1–3, digits 6–8
    let small = [kind as u8, algorithm as i32 as u8, digits as u8];
    let full = crate::mac::hash::<crate::mac::Sha256>(&[
        b"portal-codes/enrolment/v1",
        &small,
        &period.to_be_bytes(),
        secret,
    ]);
    let mut d = [0u8; ENROLMENT_BYTES];
    d.copy_from_slice(&full.as_ref()[..ENROLMENT_BYTES]);
    d
}

/// The payload of a TOTP blob (`HOTP = false`: the last accepted step) or of a HOTP blob
/// (`HOTP = true`: the next expected counter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CounterPayload<const HOTP: bool>(pub(crate) Counter);

/// A TOTP blob's payload.
pub(crate) type TotpPayload = CounterPayload<false>;
/// A HOTP blob's payload.
pub(crate) type HotpPayload = CounterPayload<true>;

impl<const HOTP: bool> crate::blob::Payload for CounterPayload<HOTP> {
    const KIND: crate::blob::Kind = if HOTP { crate::blob::Kind::Hotp } else { crate::blob::Kind::Totp };
    #[inline(always)]
    fn decode(b: &[u8; crate::blob::PAYLOAD_BYTES]) -> Result<Self> {
        Counter::decode_bytes(b, HOTP).map(Self)
    }
    #[inline(always)]
    fn encode(&self, b: &mut [u8]) {
        self.0.encode_bytes(b);
    }
}

/// Parses what a person typed: spaces are removed, then exactly `digits` ASCII digits must
/// remain (nothing else).
///
/// # Errors
/// [`Error::Mistyped`].
pub(crate) fn parse_input(input: &str, digits: u32) -> Result<u32> {
    let mut v: u32 = 0;
    let mut n = 0u32;
    for &b in input.as_bytes() {
        match b {
            b' ' => {}
            b'0'..=b'9' if n < digits => {
                v = v * 10 + u32::from(b - b'0');
                n += 1;
            }
            _ => {
                v.zeroize();
                return Err(Error::Mistyped);
            }
        }
    }
    if n == digits {
        Ok(v)
    } else {
        v.zeroize();
        Err(Error::Mistyped)
    }
}

/// Scans the candidate counters `candidates` in full (no early exit), comparing each code with
/// `input` in constant time. Returns `(found, earliest matching counter above `floor`, any match
/// at or below `floor`)`; `floor = None` means every counter is fresh.
pub(crate) fn scan(
    keyed: &Keyed,
    digits: u32,
    input: u32,
    candidates: core::ops::RangeInclusive<u64>,
    floor: Option<u64>,
) -> (bool, u64, bool) {
    // All-ones masks, not `subtle::Choice`: each `Choice` operator passes its result through
    // an optimisation barrier (a store and a load), which made one chain of about ten memory
    // round trips per candidate (issue 23). Only `eq` is secret, and it comes out of the one
    // barrier in `crate::mac::eq_mask`; the rest is AND/OR/NOT on masks, no branch on them.
    let mut found = 0u64;
    let mut at = 0u64;
    let mut used = 0u64;
    let (mut next, last) = candidates.into_inner();
    let mut values = [0u32; BATCH];
    while next <= last {
        // Up to BATCH counters next..=last, without overflowing at u64::MAX.
        let n = usize::try_from(last - next).map_or(BATCH, |d| d.saturating_add(1).min(BATCH));
        keyed.values(next, digits, &mut values[..n]);
        for (i, v) in values[..n].iter_mut().enumerate() {
            let c = next.wrapping_add(i as u64);
            let eq = crate::mac::eq_mask(u64::from(*v), u64::from(input));
            v.zeroize();
            // Which candidates lie after the floor is public (the steps follow from `now`, the
            // floor is in the blob): only `eq`, whether the typed code matched, is secret.
            let fresh = 0u64.wrapping_sub(u64::from(floor.is_none_or(|f| c > f)));
            let take = eq & fresh & !found;
            at = (at & !take) | (c & take);
            found |= eq & fresh;
            used |= eq & !fresh;
        }
        match next.checked_add(n as u64) {
            Some(x) => next = x,
            None => break,
        }
    }
    (found != 0, at, used != 0)
}

/// What the keyed computations found about a typed TOTP/HOTP code ([`crate::flow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facts {
    /// Not exactly the code's number of ASCII digits once spaces are removed.
    Mistyped,
    /// A [`scan`] of the window: a match above the last accepted value (the earliest, `at`),
    /// and whether a value at or below it matched (`used`).
    Scanned { found: bool, at: u64, used: bool },
}

/// Scans the window `candidates` (see [`scan`]) for `input`, or `Mistyped`.
pub(crate) fn facts(
    keyed: impl FnOnce() -> Keyed,
    digits: u32,
    input: &str,
    candidates: core::ops::RangeInclusive<u64>,
    floor: Option<u64>,
) -> Facts {
    match parse_input(input, digits) {
        Err(_) => Facts::Mistyped,
        Ok(mut v) => {
            let (found, at, used) = scan(&keyed(), digits, v, candidates, floor);
            v.zeroize();
            Facts::Scanned { found, at, used }
        }
    }
}

/// The TOTP and HOTP tables of `docs/verdicts.md` after the lock, row by row: pure. A fresh
/// match is accepted (TOTP stores its step; HOTP the counter after it, or *spent* after
/// `u64::MAX`); a match of a used value is `ALREADY_USED`, as is anything typed into a spent
/// HOTP blob; anything else is `WRONG`, counted.
///
/// `enrolment` is the [`enrolment_digest`] of the secret and parameters typed against: a blob
/// bound to another enrolment is read as fresh (its replay history belongs to another secret),
/// and an accepted code binds the blob to this one.
pub(crate) fn decide<const HOTP: bool>(
    h: &crate::blob::State,
    p: &CounterPayload<HOTP>,
    f: Facts,
    enrolment: [u8; ENROLMENT_BYTES],
) -> Outcome<CounterPayload<HOTP>, u64> {
    let other = !same_enrolment(p.0.enrolment, enrolment);
    let fresh = CounterPayload::default();
    let p = if other { &fresh } else { p };
    let keep = |e| Outcome::new(Err(e), Count::No, h, *p);
    let (found, at, used) = match f {
        Facts::Mistyped => return keep(Error::Mistyped),
        Facts::Scanned { found, at, used } => (found, at, used),
    };
    if HOTP && p.0.spent {
        return keep(Error::AlreadyUsed);
    }
    if found {
        let next = match (HOTP, at.checked_add(1)) {
            (false, _) => Counter { value: at, accepted: true, spent: false, enrolment },
            (true, Some(n)) => Counter { value: n, accepted: true, spent: false, enrolment },
            (true, None) => Counter { value: u64::MAX, accepted: true, spent: true, enrolment },
        };
        return Outcome::new(Ok(at), Count::Success, h, CounterPayload(next));
    }
    if used {
        return keep(Error::AlreadyUsed);
    }
    Outcome::wrong(h, *p)
}

/// Fills `out` (16–64 bytes) with a new random secret.
///
/// # Errors
/// [`Error::InvalidArgument`] for a length outside 16–64 (nothing written).
pub fn secret_with_rng<R: crate::rng::CryptoRng + ?Sized>(out: &mut [u8], rng: &mut R) -> Result<()> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    if !(MIN_NEW_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&out.len()) {
        return Err(Error::InvalidArgument.because(c"secret_len: a new secret must be 16 ..= 64 bytes"));
    }
    rng.fill_bytes(out);
    Ok(())
}

/// Fills `out` (16–64 bytes) with a new secret from the operating system's randomness.
///
/// # Errors
/// [`Error::InvalidArgument`] for a bad length; [`Error::RngFailure`].
#[cfg(feature = "std")]
pub fn secret(out: &mut [u8]) -> Result<()> {
    crate::rng::with_system_rng(out.len() as u64, |rng| secret_with_rng(out, rng))?
}

#[cfg(test)]
mod rows;

#[cfg(test)]
mod tests;
