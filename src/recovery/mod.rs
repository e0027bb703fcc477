//! Recovery codes: a set of single-use codes the person writes down, to get back in when the
//! phone is lost.
//!
//! [`generate_with_rng`] draws a set of `count` codes (1–[`MAX_COUNT`], usually
//! [`DEFAULT_COUNT`]) for an account and returns them **once**, to show to the person, with the
//! one [`StoredCodes`] string the host keeps for the account (like the PIN hash: version, key
//! id, a random set id and, per code, only a keyed, peppered, account-bound 64-bit tag; see
//! [`stored`]). It also writes the account's recovery state blob ([`Kind::Recovery`]: the set
//! id, the number of codes, a bitmap of the used ones); the host stores string and blob **in one
//! compare-and-swap**. Generating again makes the old set dead: its tags are gone from the new
//! string, and a blob and a string of different sets refuse every code (`SUPERSEDED`).
//!
//! A code is 12 symbols of Crockford's base32 shown as `XXXX-XXXX-XXXX`: 11 random symbols (55
//! bits) and a check symbol, the link code's check ([`crate::link::code`]) with 13 leading zero
//! symbols, so that a substituted symbol or two swapped neighbours are [`Error::Mistyped`] and
//! never counted. Reading takes the link code's aliases (O → 0, I/L → 1, Cyrillic look-alikes,
//! either case, any dashes and spaces).
//!
//! [`verify`] answers with the first row of the recovery table in `docs/verdicts.md` that
//! applies: each code works once (the second time `ALREADY_USED`, never `OK`), every input that
//! is not a code of the set is `WRONG` and counted by the lockout, and `OK` carries the number
//! of codes left. Its time does not depend on which code matched or how many were used: one
//! tag is computed and compared with all [`MAX_COUNT`] slots in constant time.

pub mod stored;

#[cfg(all(test, feature = "alloc"))]
mod pepper_tests;
#[cfg(test)]
mod rows;
#[cfg(test)]
mod tests;

use zeroize::Zeroize;

use crate::blob::{self, Kind, PAYLOAD_BYTES, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::{self, Count, Gate, Outcome};
use crate::link::code::{ALPHABET, check_value, read_short};
use crate::mac;
use crate::pin::hash::Key;
use crate::rng::CryptoRng;

pub use stored::{FORMAT_VERSION, STORED_BYTES, StoredCodes};

/// Codes in a set unless the host asks for another number.
pub const DEFAULT_COUNT: u32 = 10;
/// Most codes in a set (the blob keeps one bit per code).
pub const MAX_COUNT: u32 = 16;
const _: () = assert!(MAX_COUNT as usize == stored::MAX);
/// Symbols in a code, the check symbol included.
pub const CODE_SYMBOLS: usize = 12;
/// Length of a code's display form `XXXX-XXXX-XXXX`.
pub const CODE_LEN: usize = CODE_SYMBOLS + CODE_SYMBOLS / GROUP - 1;
/// Buffer size for one code in C, including the NUL.
pub const CODE_BYTES: usize = CODE_LEN + 1;
const GROUP: usize = 4;
/// Random bits in a code (11 symbols).
const DATA_BITS: u32 = 55;
const _: () = assert!(DATA_BITS as usize == 5 * (CODE_SYMBOLS - 1));
const DATA_MASK: u64 = (1 << DATA_BITS) - 1;

/// One recovery code to show to the person. `Debug` hides it; its memory is zeroized on drop.
pub struct RecoveryCode([u8; CODE_LEN]);

impl RecoveryCode {
    /// The display form `XXXX-XXXX-XXXX`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only symbols of the alphabet and hyphens are ever written.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Drop for RecoveryCode {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

/// A generated set: the codes (shown once) and the string to store.
pub struct RecoverySet {
    codes: [RecoveryCode; stored::MAX],
    count: usize,
    stored: StoredCodes,
}

impl RecoverySet {
    /// The codes, in the order of their tags in the stored string.
    #[must_use]
    pub fn codes(&self) -> &[RecoveryCode] {
        &self.codes[..self.count]
    }

    /// The string to store for the account (with the blob, in one compare-and-swap).
    #[must_use]
    pub fn stored(&self) -> &StoredCodes {
        &self.stored
    }
}

impl core::fmt::Debug for RecoverySet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "RecoverySet({} codes, {:?})", self.count, self.stored)
    }
}

/// The display form of 55 data bits and their check symbol.
#[allow(clippy::cast_possible_truncation)] // masked to 5 bits
fn display(data: u64) -> RecoveryCode {
    let all = (u128::from(data) << 5) | u128::from(check_value(data.into()));
    let mut out = [b'-'; CODE_LEN];
    for i in 0..CODE_SYMBOLS {
        let v = (all >> (5 * (CODE_SYMBOLS - 1 - i))) as usize & 31;
        out[i + i / GROUP] = ALPHABET[v];
    }
    RecoveryCode(out)
}

/// The flow's payload: which set the blob belongs to and which of its codes were used.
///
/// | bytes | field |
/// |---|---|
/// | 0..8 | set id (all zero: no set generated yet, then everything is zero) |
/// | 8 | codes in the set, 1–16 |
/// | 9..11 | used codes, bit i = code i (u16 LE), only bits below the count |
/// | 11..40 | zero |
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payload {
    set_id: [u8; stored::SET_ID_BYTES],
    count: u8,
    used: u16,
}

impl Payload {
    const NONE: Payload = Payload { set_id: [0; stored::SET_ID_BYTES], count: 0, used: 0 };

    /// Codes of the set not yet used.
    fn remaining(&self) -> u32 {
        u32::from(self.count) - self.used.count_ones()
    }
}

/// The bits of a set of `count` codes.
fn all_codes(count: u8) -> u16 {
    u16::try_from((1u32 << count) - 1).unwrap_or(u16::MAX)
}

impl blob::Payload for Payload {
    const KIND: Kind = Kind::Recovery;

    fn decode(b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        let mut set_id = [0u8; stored::SET_ID_BYTES];
        set_id.copy_from_slice(&b[..8]);
        let p = Payload { set_id, count: b[8], used: u16::from_le_bytes([b[9], b[10]]) };
        if p == Self::NONE && b[11..].iter().all(|&x| x == 0) {
            return Ok(p);
        }
        if set_id == [0; 8]
            || !(1..=stored::MAX).contains(&usize::from(p.count))
            || p.used & !all_codes(p.count) != 0
            || b[11..].iter().any(|&x| x != 0)
        {
            return Err(Error::CorruptState);
        }
        Ok(p)
    }

    fn encode(&self, b: &mut [u8]) {
        b.fill(0);
        b[..8].copy_from_slice(&self.set_id);
        b[8] = self.count;
        b[9..11].copy_from_slice(&self.used.to_le_bytes());
    }

    /// The set dies: the blob reads as one into which no set was generated.
    fn revoke(&mut self, what: u32) {
        if what & crate::state::REVOKE_RECOVERY != 0 {
            *self = Self::NONE;
        }
    }

    fn recovery_left(&self) -> Option<([u8; 8], u32)> {
        (self.count != 0).then(|| (self.set_id, self.remaining()))
    }

    /// No release before layout 3 wrote a recovery blob.
    fn upgrade(_version: u8, _header: &State, _b: &[u8; PAYLOAD_BYTES]) -> Result<Self> {
        Err(Error::CorruptState)
    }
}

fn check_account(account_id: &str) -> Result<()> {
    if account_id.is_empty() { Err(Error::InvalidArgument.because(c"account_id: empty")) } else { Ok(()) }
}

/// Generates a set of `count` codes for `account_id` under the context's current key, drawing
/// from `rng`, and records it in `state` (the account's recovery blob): the new set replaces any
/// earlier one, whose codes are dead from then on. The lockout count is kept. Show the codes
/// once; store [`RecoverySet::stored`] and the blob together with compare-and-swap.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty `account_id` or a `count` outside 1–[`MAX_COUNT`];
/// [`Error::CorruptState`] if `state` is not a recovery blob; [`Error::PepperFailed`] if the
/// host's pepper device ([`crate::Context::set_pepper`]) failed (all leave the state untouched
/// and return no codes).
pub fn generate_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    count: u32,
    state: &mut [u8; STATE_BYTES],
    rng: &mut R,
) -> Result<RecoverySet> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    check_account(account_id)?;
    let n = u8::try_from(count)
        .ok()
        .filter(|n| (1..=stored::MAX).contains(&usize::from(*n)))
        .ok_or_else(|| Error::InvalidArgument.because(c"count: must be 1 ..= 16"))?;
    // `now` only matters to a gated or counted call; generating is neither.
    flow::run(state, Gate::Open, ctx.policy(), 0, |h, _: &Payload| {
        // A failed pepper device: no set, the blob unchanged.
        let set = draw(ctx, account_id, n, rng)?;
        Ok(Outcome::new(Ok(set.0), Count::No, h, set.1))
    })
}

/// A new set and the payload that records it.
fn draw<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    n: u8,
    rng: &mut R,
) -> Result<(RecoverySet, Payload)> {
    let key_id = ctx.keys().current_id();
    let pepper = stored::pepper(ctx, key_id)?;
    let mut p = stored::Parsed { key_id, count: n, set_id: [0; 8], tags: [[0; 8]; stored::MAX] };
    while p.set_id == [0; 8] {
        rng.fill_bytes(&mut p.set_id);
    }
    let mut values = [0u64; stored::MAX];
    let mut codes: [RecoveryCode; stored::MAX] = core::array::from_fn(|_| RecoveryCode([0; CODE_LEN]));
    for i in 0..usize::from(n) {
        // Distinct codes (a repeat has probability below 2⁻⁴⁸ per set).
        let mut v = 0;
        while v == 0 || values[..i].contains(&v) {
            v = rng.next_u64() & DATA_MASK;
        }
        values[i] = v;
        codes[i] = display(v);
        match stored::tag(pepper, account_id, &p, v) {
            Ok(t) => p.tags[i] = t,
            Err(e) => {
                values.zeroize(); // (the codes drawn so far are zeroized on drop)
                return Err(e);
            }
        }
    }
    values.zeroize();
    let next = Payload { set_id: p.set_id, count: n, used: 0 };
    Ok((RecoverySet { codes, count: n.into(), stored: stored::format(&p) }, next))
}

/// [`generate_with_rng`] with the thread's OS-seeded generator.
///
/// # Errors
/// As [`generate_with_rng`], and [`Error::RngFailure`] (the state is then left unchanged).
#[cfg(feature = "std")]
pub fn generate(
    ctx: &Context,
    account_id: &str,
    count: u32,
    state: &mut [u8; STATE_BYTES],
) -> Result<RecoverySet> {
    crate::rng::with_system_rng(8 * (1 + u64::from(MAX_COUNT)), |r| {
        generate_with_rng(ctx, account_id, count, state, r)
    })?
}

/// Checks `code` (as typed) against the account's set (`stored`, the string [`generate_with_rng`]
/// returned, and `state`, its blob) at `now`. `Ok(n)`: accepted, the code is now used and `n`
/// codes are left. See `docs/verdicts.md` for the order of the verdicts. A verdict is final only
/// after the compare-and-swap that stores `state` succeeded; on a lost write, re-read the row and
/// call again, whatever the answer.
///
/// # Errors
/// - [`Error::InvalidArgument`] for an empty `account_id` or a `now` outside the clock's range,
///   [`Error::MalformedHash`] for a `stored` that is not a recovery-code string,
///   [`Error::UnknownKey`] if it names a key the context does not hold,
///   [`Error::CorruptState`] if `state` is not a recovery blob (all leave the state untouched);
/// - [`Error::Locked`], [`Error::Blocked`], [`Error::NoChallenge`], [`Error::Superseded`],
///   [`Error::Mistyped`], [`Error::AlreadyUsed`]: not counted;
/// - [`Error::PepperFailed`] if the host's pepper device ([`crate::Context::set_pepper`]) failed
///   (after the lock check, for an input with a valid check symbol): no verdict, not counted, the
///   state untouched;
/// - [`Error::Wrong`]: counted as a lockout failure.
pub fn verify(
    ctx: &Context,
    account_id: &str,
    stored: &str,
    code: &str,
    now: u64,
    state: &mut [u8; STATE_BYTES],
) -> Result<u32> {
    crate::diag::clear();
    crate::clock::check(now)?;
    check_account(account_id)?;
    let set = stored::parse(stored)?;
    let pepper = stored::pepper(ctx, set.key_id)?;
    flow::run(state, Gate::Lockout, ctx.policy(), now, |h, p: &Payload| {
        // A failed pepper device is no verdict: not counted, the blob unchanged.
        Ok(decide(h, p, &facts(pepper, account_id, &set, code)?))
    })
}

/// The codes left in the set `state` records (0 for a fresh blob): what `OK` of [`verify`]
/// last reported.
///
/// # Errors
/// [`Error::CorruptState`] if `state` is not a recovery blob.
pub fn remaining(state: &[u8; STATE_BYTES]) -> Result<u32> {
    crate::diag::clear();
    blob::read_flow::<Payload>(state).map(|(_, p)| p.remaining())
}

/// What the keyed computation found about the input, before any verdict is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The set the stored string describes.
    set_id: [u8; stored::SET_ID_BYTES],
    count: u8,
    /// The codes of the string the input is (bit i = code i), or `None`: not 12 symbols with a
    /// valid check symbol.
    matched: Option<u16>,
}

/// # Errors
/// [`Error::PepperFailed`] if the key is the host's device and it failed.
fn facts(pepper: Key<'_>, account_id: &str, set: &stored::Parsed, input: &str) -> Result<Facts> {
    let matched = match read_short(input, CODE_SYMBOLS) {
        Err(_) => None,
        Ok(mut packed) => {
            #[allow(clippy::cast_possible_truncation)] // 55 bits
            let mut data = (packed >> 5) as u64 & DATA_MASK;
            packed.zeroize();
            let t = stored::tag(pepper, account_id, set, data);
            data.zeroize();
            let mut t = t?;
            let m = compare(&t, set);
            t.zeroize();
            Some(m)
        }
    };
    Ok(Facts { set_id: set.set_id, count: set.count, matched })
}

#[allow(clippy::trivially_copy_pass_by_ref)]
/// The slots whose tag equals `t`: every one of the [`MAX_COUNT`] slots is compared, in
/// constant time, whatever the count, the match or the used codes.
fn compare(t: &[u8; stored::TAG_BYTES], set: &stored::Parsed) -> u16 {
    // `t` by reference: a secret tag is not copied onto the stack again.
    let mut m = 0u16;
    for (i, slot) in set.tags.iter().enumerate() {
        m |= u16::from(mac::ct_eq(t, slot)) << i;
    }
    m & all_codes(set.count)
}

/// The recovery table of `docs/verdicts.md`, row by row: pure, from the blob and the facts.
pub(crate) fn decide(h: &State, p: &Payload, f: &Facts) -> Outcome<Payload, u32> {
    let keep = |e| Outcome::unchanged(e, h, p);
    if p.count == 0 {
        return keep(Error::NoChallenge);
    }
    if p.set_id != f.set_id || p.count != f.count {
        return keep(Error::Superseded);
    }
    let Some(m) = f.matched else {
        return keep(Error::Mistyped);
    };
    if m == 0 {
        return Outcome::wrong(h, p.clone());
    }
    if m & !p.used == 0 {
        return keep(Error::AlreadyUsed);
    }
    let next = Payload { used: p.used | m, ..p.clone() };
    Outcome::new(Ok(next.remaining()), Count::Success, h, next)
}
